/** What a risk review concluded (ISO 14971 10: production and post-production review). Plain data, so the CLI can
 * name the outcomes in its help without loading the use-case and its schemas. */
export const RISK_REVIEW_OUTCOMES = ['no_change', 'risk_file_updated', 'capa_raised', 'change_requested'] as const;
