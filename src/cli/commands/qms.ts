import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';
import { registerQmsAuditCommands } from './qms-audits.js';
import { registerQmsDocumentCommands } from './qms-documents.js';
import { registerQmsInitCommand } from './qms-init.js';
import { registerQmsProcessCommands } from './qms-processes.js';
import { registerQmsReadinessCommands } from './qms-readiness.js';

/** `dossier qms …`: the quality system beside the product (ISO 13485 4–8). Each area registers its own commands. */
export function registerQmsCommands(program: Command, kit: Kit): void {
  const qms = program
    .command('qms')
    .description('the quality system (ISO 13485): documents, training, CAPA, complaints, nonconformance, audits, management review, suppliers, changes, readiness');
  registerQmsInitCommand(qms, kit);
  registerQmsDocumentCommands(qms, kit);
  registerQmsProcessCommands(qms, kit);
  registerQmsAuditCommands(qms, kit);
  registerQmsReadinessCommands(qms, kit);
}
