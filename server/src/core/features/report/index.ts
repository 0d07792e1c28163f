/**
 * The tenant report (`ztp report`): one page with the seven-layer progress, a diagram of the layers, the findings
 * grouped by the team that owns them (the seed's cross-team coordination, with each team's contact) and the
 * lockout check. Markdown for repositories and wikis; HTML that is self-contained (no script, no stylesheet, font
 * or image from anywhere) for mail and auditors.
 */
export { findingsByTeam, type ReportFinding, type ReportInput, type TeamGroup } from './model';
export { layerDiagramMarkdown, reportMarkdown } from './markdown';
export { layerDiagramSvg, reportHtml } from './html';
