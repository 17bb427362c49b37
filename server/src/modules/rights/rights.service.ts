// 维权: the parts of the module, built once and shared by the routes, the seed and the tests.
import type { ModuleContext } from '../module-context.js';
import { createCases } from './rights.cases.js';
import { createConsultations } from './rights.consultations.js';
import { createFigures } from './rights.figures.js';
import { createLetters } from './rights.letters.js';
import { createPool } from './rights.pool.js';
import { createTickets } from './rights.tickets.js';
import { CASE_STATUSES, CHANNELS, LEGAL_AID_STAGES, LETTER_KINDS, LETTER_STATUSES, OUTCOMES, POOL_KINDS, TICKET_STATUSES, TOPICS } from './rights.constants.js';

const list = (o: Record<string, string>) => Object.entries(o).map(([code, label]) => ({ code, label }));

export function createRightsService(ctx: ModuleContext) {
  const consultations = createConsultations(ctx);
  return {
    consultations,
    cases: createCases({ ...ctx, consultations }),
    pool: createPool(ctx),
    letters: createLetters(ctx),
    tickets: createTickets(ctx),
    figures: createFigures(ctx),
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
      };
    },
  };
}

export type RightsService = ReturnType<typeof createRightsService>;
