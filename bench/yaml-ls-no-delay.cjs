// yaml-language-server with its validation delay turned off, for a fair latency comparison.
// It waits `validationDelayMs` (200 ms, hard-coded in SettingsState) after each change before validating; no
// setting changes it, so we subclass SettingsState before the server module creates its instance.
const settings = require('yaml-language-server/out/server/src/yamlSettings.js');
const Original = settings.SettingsState;
settings.SettingsState = class extends Original {
  constructor(...args) {
    super(...args);
    this.validationDelayMs = 0;
  }
};
require('yaml-language-server/out/server/src/server.js');
