import type { AnyUseCase } from './use-case.js';
import { addLinkUseCase } from './use-cases/add-link.js';
import { addLinksUseCase } from './use-cases/add-links.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { addRecordsUseCase } from './use-cases/add-records.js';
import { changeRecordStatusesUseCase, changeRecordStatusUseCase } from './use-cases/change-record-status.js';
import { createProductUseCase } from './use-cases/create-product.js';
import { diffRecordUseCase } from './use-cases/diff-record.js';
import { editProductUseCase } from './use-cases/edit-product.js';
import { editRecordUseCase } from './use-cases/edit-record.js';
import { exportStoreUseCase } from './use-cases/export-store.js';
import { getAuditAnchorUseCase } from './use-cases/get-audit-anchor.js';
import { getAuditLogUseCase } from './use-cases/get-audit-log.js';
import { getProductUseCase } from './use-cases/get-product.js';
import { getRecordHistoryUseCase } from './use-cases/get-record-history.js';
import { getRecordUseCase } from './use-cases/get-record.js';
import { importStoreUseCase } from './use-cases/import-store.js';
import { listLinksUseCase } from './use-cases/list-links.js';
import { listProductsUseCase } from './use-cases/list-products.js';
import { listRecordsUseCase } from './use-cases/list-records.js';
import { removeLinkUseCase } from './use-cases/remove-link.js';
import { showCatalogUseCase } from './use-cases/show-catalog.js';
import { verifyIntegrityUseCase } from './use-cases/verify-integrity.js';

/**
 * Every use-case the adapters expose. The HTTP API mounts a route for each and the permission-matrix test
 * enumerates them; a use-case missing here is reachable from nowhere but its own tests.
 */
export const USE_CASES: readonly AnyUseCase[] = [
  // products
  listProductsUseCase,
  createProductUseCase,
  editProductUseCase,
  getProductUseCase,
  // records
  addRecordUseCase,
  addRecordsUseCase,
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
  // evidence
  // releases
  // risk
  // audit and store
  getAuditLogUseCase,
  getAuditAnchorUseCase,
  verifyIntegrityUseCase,
  exportStoreUseCase,
  importStoreUseCase,
  // identity (users, sessions, tokens)
];
