import type { JsonPath } from '../document';

/** One thing a file's schema (or what Graph refuses beyond it) finds, at a place in the file. */
export interface SchemaIssue {
  path: JsonPath;
  target: 'key' | 'value' | 'auto';
  message: string;
  /**
   * `warning` for a property that Graph's metadata does not list but that may be newer than the metadata (the
   * format's rule on Graph drift); an error otherwise.
   */
  severity?: 'warning';
}
