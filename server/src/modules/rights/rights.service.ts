// 维权: the parts of the module, built once and shared by the routes, the seed and the tests.
import type { FileStore } from '../applications/applications.files.js';
import { createCases } from './rights.cases.js';
import { createCheckups } from './rights.checkups.js';
import type { RightsCtx } from './rights.common.js';
import { createConsultations } from './rights.consultations.js';
import { createFigures } from './rights.figures.js';
import { createInformants } from './rights.informants.js';
import { createLetters } from './rights.letters.js';
import { createPool } from './rights.pool.js';
import { createRisks } from './rights.risks.js';
import { createTickets } from './rights.tickets.js';
import {
  CASE_STATUSES,
  CHANNELS,
  CHECKUP_STATUSES,
  FINDING_RESULTS,
  INFORMANT_KINDS,
  LEGAL_AID_STAGES,
  LETTER_KINDS,
  LETTER_STATUSES,
  OUTCOMES,
  POOL_KINDS,
  RISK_GRADES,
  RISK_KINDS,
  RISK_LEVELS,
  RISK_STATUSES,
  TICKET_STATUSES,
  TOPICS,
} from './rights.constants.js';

const list = (o: Record<string, string>) => Object.entries(o).map(([code, label]) => ({ code, label }));

export function createRightsService(ctx: RightsCtx & { files: FileStore }) {
  const consultations = createConsultations(ctx);
  const tickets = createTickets(ctx);
  return {
    consultations,
    cases: createCases({ ...ctx, consultations }),
    pool: createPool(ctx),
    letters: createLetters(ctx),
    tickets,
    figures: createFigures(ctx),
    checkups: createCheckups(ctx),
    informants: createInformants(ctx),
    risks: createRisks({ ...ctx, tickets }),
    dictionaries() {
      return {
        channels: list(CHANNELS),
        topics: list(TOPICS),
        outcomes: list(OUTCOMES),
        caseStatuses: list(CASE_STATUSES),
        legalAidStages: list(LEGAL_AID_STAGES),
        poolKinds: list(POOL_KINDS),
        letterKinds: list(LETTER_KINDS),
        letterStatuses: list(LETTER_STATUSES),
        ticketStatuses: list(TICKET_STATUSES),
        checkupStatuses: list(CHECKUP_STATUSES),
        riskLevels: list(RISK_LEVELS),
        findingResults: list(FINDING_RESULTS),
        informantKinds: list(INFORMANT_KINDS),
        riskKinds: list(RISK_KINDS),
        riskGrades: list(RISK_GRADES),
        riskStatuses: list(RISK_STATUSES),
      };
    },
  };
}

export type RightsService = ReturnType<typeof createRightsService>;
