/**
 * One problem of a rule being typed (`POST /admin/api/v1/rules/check`, `/licenses/rules/check`), placed on
 * its field; a condition's is positioned as the configuration check places it.
 */
export interface RuleCheckError {
  /** `condition`, `resourceFilter`, `actions[<i>]` or `context`. */
  path: string;
  message: string;
  /** For the condition: 0-based offset, 1-based line and column, and the caret excerpt. */
  offset?: number;
  line?: number;
  column?: number;
  excerpt?: string;
}
