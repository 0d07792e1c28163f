// Preloaded with `node -r` by `npm run bench`: prints the process's peak resident set size (MB) on stderr at exit.
process.on('exit', () => process.stderr.write(`\nbench-peak-rss-mb ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`));
