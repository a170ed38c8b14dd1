import type { AnyUseCase } from './use-case.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { listProductsUseCase } from './use-cases/list-products.js';
import { addRulePackUseCase } from './use-cases/add-rule-pack.js';
import { analyzeImpactUseCase } from './use-cases/analyze-impact.js';
import { configureRuleUseCase } from './use-cases/configure-rule.js';
import { confirmLinksUseCase } from './use-cases/confirm-links.js';
import { getRiskFileUseCase } from './use-cases/get-risk-file.js';
import { getRiskMatrixUseCase } from './use-cases/get-risk-matrix.js';
import { getRiskTableUseCase } from './use-cases/get-risk-table.js';
import { getTraceMatrixUseCase } from './use-cases/get-trace-matrix.js';
import { listDueRisksUseCase } from './use-cases/list-due-risks.js';
import { explainRuleUseCase, listProductRulesUseCase } from './use-cases/list-product-rules.js';
import { listSuspectLinksUseCase } from './use-cases/list-suspect-links.js';
import { recordRiskReviewUseCase } from './use-cases/record-risk-review.js';
import { runCheckUseCase } from './use-cases/run-check.js';
import { setRiskPolicyUseCase } from './use-cases/set-risk-policy.js';

/**
 * Every use-case the adapters expose. The HTTP API mounts a route for each and the permission-matrix test
 * enumerates them; a use-case missing here is reachable from nowhere but its own tests.
 */
export const USE_CASES: readonly AnyUseCase[] = [
  // products
  listProductsUseCase,
  // records
  addRecordUseCase,
  // links
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
  // releases
  // risk
  getRiskFileUseCase,
  getRiskTableUseCase,
  getRiskMatrixUseCase,
  listDueRisksUseCase,
  setRiskPolicyUseCase,
  recordRiskReviewUseCase,
  // audit and store
  // identity (users, sessions, tokens)
];
