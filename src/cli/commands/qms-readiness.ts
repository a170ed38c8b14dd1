import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';

/** `dossier qms …` commands of this area (filled in by its issue work). */
export function registerQmsReadinessCommands(_qms: Command, _kit: Kit): void {}
