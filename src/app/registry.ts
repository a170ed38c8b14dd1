import type { AnyUseCase } from './use-case.js';
import { addLinkUseCase } from './use-cases/add-link.js';
import { addLinksUseCase } from './use-cases/add-links.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { addRecordsUseCase } from './use-cases/add-records.js';
import { importRecordsUseCase } from './use-cases/import-records.js';
import { exportRecordsUseCase } from './use-cases/export-records.js';
import { changeRecordStatusesUseCase, changeRecordStatusUseCase } from './use-cases/change-record-status.js';
import { createProductUseCase } from './use-cases/create-product.js';
import { diffRecordUseCase } from './use-cases/diff-record.js';
import { editProductUseCase } from './use-cases/edit-product.js';
import { editRecordUseCase } from './use-cases/edit-record.js';
import { exportStoreUseCase } from './use-cases/export-store.js';
import { getAuditAnchorUseCase } from './use-cases/get-audit-anchor.js';
import { getAuditLogUseCase } from './use-cases/get-audit-log.js';
import { exportAuditTrailUseCase } from './use-cases/export-audit-trail.js';
import { getProductUseCase } from './use-cases/get-product.js';
import { getRecordHistoryUseCase } from './use-cases/get-record-history.js';
import { getRecordUseCase } from './use-cases/get-record.js';
import { importStoreUseCase } from './use-cases/import-store.js';
import { listLinksUseCase } from './use-cases/list-links.js';
import { listProductsUseCase } from './use-cases/list-products.js';
import { changePasswordUseCase } from './use-cases/change-password.js';
import { createTokenUseCase } from './use-cases/create-token.js';
import { createUserUseCase } from './use-cases/create-user.js';
import { deactivateUserUseCase } from './use-cases/deactivate-user.js';
import { grantRoleUseCase } from './use-cases/grant-role.js';
import { issuePasswordResetUseCase } from './use-cases/issue-password-reset.js';
import { listTokensUseCase } from './use-cases/list-tokens.js';
import { listUsersUseCase } from './use-cases/list-users.js';
import { getAccessReviewUseCase } from './use-cases/get-access-review.js';
import { recordIdentityPolicyUseCase } from './use-cases/record-identity-policy.js';
import { logInUseCase } from './use-cases/log-in.js';
import { signRecordsUseCase } from './use-cases/sign-records.js';
import { makeDocumentEffectiveUseCase } from './use-cases/make-document-effective.js';
import { reviewDocumentUseCase } from './use-cases/review-document.js';
import { listDocumentsUseCase } from './use-cases/list-documents.js';
import { completeTrainingUseCase } from './use-cases/complete-training.js';
import { syncTrainingUseCase } from './use-cases/sync-training.js';
import { getTrainingMatrixUseCase } from './use-cases/get-training-matrix.js';
import { getTrainingStatusUseCase } from './use-cases/get-training-status.js';
import { listOverdueTrainingUseCase } from './use-cases/list-overdue-training.js';
import { getTrainingRecordUseCase } from './use-cases/get-training-record.js';
import { acceptSignatureStatementUseCase } from './use-cases/accept-signature-statement.js';
import { listSignatureInboxUseCase } from './use-cases/list-signature-inbox.js';
import { showSignatureStatementUseCase } from './use-cases/show-signature-statement.js';
import { showWorkflowsUseCase } from './use-cases/show-workflows.js';
import { setWorkflowUseCase } from './use-cases/set-workflow.js';
import { linkSsoUseCase } from './use-cases/link-sso.js';
import { getUserUseCase } from './use-cases/get-user.js';
import { ssoCallbackUseCase } from './use-cases/sso-callback.js';
import { ssoLogInUseCase } from './use-cases/sso-log-in.js';
import { ssoReauthenticateUseCase } from './use-cases/sso-reauthenticate.js';
import { logOutUseCase } from './use-cases/log-out.js';
import { resetPasswordUseCase } from './use-cases/reset-password.js';
import { revokeRoleUseCase } from './use-cases/revoke-role.js';
import { revokeTokenUseCase } from './use-cases/revoke-token.js';
import { whoAmIUseCase } from './use-cases/who-am-i.js';
import { listRecordsUseCase } from './use-cases/list-records.js';
import { removeLinkUseCase } from './use-cases/remove-link.js';
import { showCatalogUseCase } from './use-cases/show-catalog.js';
import { verifyIntegrityUseCase } from './use-cases/verify-integrity.js';
import { addRulePackUseCase } from './use-cases/add-rule-pack.js';
import { analyzeImpactUseCase } from './use-cases/analyze-impact.js';
import { configureRuleUseCase } from './use-cases/configure-rule.js';
import { confirmLinksUseCase } from './use-cases/confirm-links.js';
import { getRiskFileUseCase } from './use-cases/get-risk-file.js';
import { getQmsReadinessUseCase } from './use-cases/get-qms-readiness.js';
import { getRiskMatrixUseCase } from './use-cases/get-risk-matrix.js';
import { getRiskTableUseCase } from './use-cases/get-risk-table.js';
import { getTraceMatrixUseCase } from './use-cases/get-trace-matrix.js';
import { listDueRisksUseCase } from './use-cases/list-due-risks.js';
import { explainRuleUseCase, listProductRulesUseCase } from './use-cases/list-product-rules.js';
import { listSuspectLinksUseCase } from './use-cases/list-suspect-links.js';
import { recordRiskReviewUseCase } from './use-cases/record-risk-review.js';
import { runCheckUseCase } from './use-cases/run-check.js';
import { setRiskPolicyUseCase } from './use-cases/set-risk-policy.js';
import { ingestTestRunUseCase } from './use-cases/ingest-test-run.js';
import { ingestCommitsUseCase } from './use-cases/ingest-commits.js';
import { ingestReviewsUseCase } from './use-cases/ingest-reviews.js';
import { ingestSbomUseCase } from './use-cases/ingest-sbom.js';
import { ingestVulnerabilitiesUseCase } from './use-cases/ingest-vulnerabilities.js';
import { listEvidenceUseCase } from './use-cases/list-evidence.js';
import { relabelTestRunUseCase } from './use-cases/relabel-test-run.js';
import { voidTestRunUseCase } from './use-cases/void-test-run.js';
import { createReleaseUseCase } from './use-cases/create-release.js';
import { checkReleaseUseCase } from './use-cases/check-release.js';
import { markReleasedUseCase } from './use-cases/mark-released.js';
import { signReleaseUseCase } from './use-cases/sign-release.js';
import { showReleaseUseCase } from './use-cases/show-release.js';
import { voidReleaseUseCase } from './use-cases/void-release.js';
import { diffReleasesUseCase } from './use-cases/diff-releases.js';
import { listReleasesUseCase } from './use-cases/list-releases.js';
import { advanceProcessUseCase } from './use-cases/advance-process.js';
import { listProcessRecordsUseCase } from './use-cases/list-process-records.js';
import { getComplaintDeadlinesUseCase } from './use-cases/get-complaint-deadlines.js';
import { analyzeChangeImpactUseCase } from './use-cases/analyze-change-impact.js';
import { getAuditProgrammeUseCase } from './use-cases/get-audit-programme.js';
import { getAuditChecklistUseCase } from './use-cases/get-audit-checklist.js';
import { getReviewInputsUseCase } from './use-cases/get-review-inputs.js';
import { compileReviewUseCase } from './use-cases/compile-review.js';
import { listSuppliersUseCase } from './use-cases/list-suppliers.js';
import { getQmsMetricsUseCase } from './use-cases/get-qms-metrics.js';
import { initQmsUseCase } from './use-cases/init-qms.js';
import { addAttachmentUseCase } from './use-cases/add-attachment.js';
import { listAttachmentsUseCase } from './use-cases/list-attachments.js';
import { getAttachmentUseCase } from './use-cases/get-attachment.js';
import { listGeneratedDocumentsUseCase } from './use-cases/list-generated-documents.js';
import { buildDocumentsUseCase } from './use-cases/build-documents.js';
import { listRecordHeadsUseCase } from './use-cases/list-record-heads.js';
import { setUpFirstAdminUseCase, setupStatusUseCase } from './use-cases/set-up-first-admin.js';
import { unlockUserUseCase } from './use-cases/unlock-user.js';
import { renderGeneratedDocumentUseCase } from './use-cases/render-generated-document.js';
import { listEvidenceItemsUseCase } from './use-cases/list-evidence-items.js';

const ALL_USE_CASES = [
  // products
  listProductsUseCase,
  createProductUseCase,
  editProductUseCase,
  getProductUseCase,
  // records
  addRecordUseCase,
  addRecordsUseCase,
  importRecordsUseCase,
  exportRecordsUseCase,
  editRecordUseCase,
  getRecordUseCase,
  listRecordsUseCase,
  getRecordHistoryUseCase,
  diffRecordUseCase,
  changeRecordStatusUseCase,
  changeRecordStatusesUseCase,
  showCatalogUseCase,
  // links
  addLinkUseCase,
  addLinksUseCase,
  removeLinkUseCase,
  listLinksUseCase,
  // trace, check, rules
  getTraceMatrixUseCase,
  listSuspectLinksUseCase,
  analyzeImpactUseCase,
  confirmLinksUseCase,
  runCheckUseCase,
  listProductRulesUseCase,
  explainRuleUseCase,
  configureRuleUseCase,
  addRulePackUseCase,
  // evidence
  ingestTestRunUseCase,
  ingestCommitsUseCase,
  ingestReviewsUseCase,
  ingestSbomUseCase,
  ingestVulnerabilitiesUseCase,
  listEvidenceUseCase,
  relabelTestRunUseCase,
  voidTestRunUseCase,
  // releases
  createReleaseUseCase,
  checkReleaseUseCase,
  markReleasedUseCase,
  signReleaseUseCase,
  showReleaseUseCase,
  voidReleaseUseCase,
  diffReleasesUseCase,
  listReleasesUseCase,
  // risk
  getRiskFileUseCase,
  getRiskTableUseCase,
  getRiskMatrixUseCase,
  listDueRisksUseCase,
  setRiskPolicyUseCase,
  recordRiskReviewUseCase,
  // quality system
  getQmsReadinessUseCase,
  // audit and store
  getAuditLogUseCase,
  exportAuditTrailUseCase,
  getAuditAnchorUseCase,
  verifyIntegrityUseCase,
  exportStoreUseCase,
  importStoreUseCase,
  // identity (users, sessions, tokens)
  createUserUseCase,
  listUsersUseCase,
  getAccessReviewUseCase,
  recordIdentityPolicyUseCase,
  getUserUseCase,
  deactivateUserUseCase,
  grantRoleUseCase,
  revokeRoleUseCase,
  issuePasswordResetUseCase,
  resetPasswordUseCase,
  changePasswordUseCase,
  logInUseCase,
  logOutUseCase,
  whoAmIUseCase,
  createTokenUseCase,
  listTokensUseCase,
  revokeTokenUseCase,
  // electronic signatures
  showSignatureStatementUseCase,
  acceptSignatureStatementUseCase,
  signRecordsUseCase,
  listSignatureInboxUseCase,
  showWorkflowsUseCase,
  setWorkflowUseCase,
  // single sign-on
  linkSsoUseCase,
  ssoLogInUseCase,
  ssoReauthenticateUseCase,
  ssoCallbackUseCase,
  // quality processes (CAPA, complaints and vigilance, nonconformance, change control)
  advanceProcessUseCase,
  listProcessRecordsUseCase,
  getComplaintDeadlinesUseCase,
  analyzeChangeImpactUseCase,
  // quality system: audits, management review, suppliers, metrics
  getAuditProgrammeUseCase,
  getAuditChecklistUseCase,
  getReviewInputsUseCase,
  compileReviewUseCase,
  listSuppliersUseCase,
  getQmsMetricsUseCase,
  // quality system (ISO 13485)
  initQmsUseCase,
  // attachments
  addAttachmentUseCase,
  listAttachmentsUseCase,
  getAttachmentUseCase,
  // document control and training (ISO 13485 4.2.4, 6.2; 21 CFR 11.10(i))
  listDocumentsUseCase,
  makeDocumentEffectiveUseCase,
  reviewDocumentUseCase,
  syncTrainingUseCase,
  completeTrainingUseCase,
  getTrainingMatrixUseCase,
  getTrainingStatusUseCase,
  listOverdueTrainingUseCase,
  getTrainingRecordUseCase,
  // generated documents (the technical file of a baseline)
  listGeneratedDocumentsUseCase,
  buildDocumentsUseCase,
  // Markdown folder sync
  listRecordHeadsUseCase,
  // first-run set-up, unlocking an account
  setUpFirstAdminUseCase,
  setupStatusUseCase,
  unlockUserUseCase,
  // one generated document as a file (the web app's downloads)
  renderGeneratedDocumentUseCase,
  // evidence items (the web UI's test results, commits, SBOM components)
  listEvidenceItemsUseCase,
] as const;

/**
 * Every use-case the adapters expose. The HTTP API mounts a route for each and the permission-matrix test
 * enumerates them; a use-case missing here is reachable from nowhere but its own tests.
 */
export const USE_CASES: readonly AnyUseCase[] = ALL_USE_CASES;

/** The registry's use-cases with their own types (names as literals): the web client's contract derives from it. */
export type RegisteredUseCases = typeof ALL_USE_CASES;
