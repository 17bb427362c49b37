// The activity types' plugins (see activities.plugins.ts): activities.module.ts registers every one
// of these at start. Each plugin brings its settings/details schemas, enrollment rules and routes.
import type { ActivityTypePlugin } from './activities.plugins.js';
import { childcarePlugin } from './activities.childcare.js';
import { contestPlugin } from './activities.contest.js';
import { quizPlugin } from './activities.quiz.js';
import { recuperationPlugin } from './activities.recuperation.js';
import { socialPlugin } from './activities.social.js';
import { lecturePlugin, trainingPlugin } from './activities.training.js';
import { childcareRoutes, contestRoutes, quizRoutes, trainingRoutes } from './activity-types.routes.js';

export const activityTypePlugins: ActivityTypePlugin[] = [
  recuperationPlugin,
  { ...childcarePlugin, routes: childcareRoutes },
  // Contest routes also hold the certificates (worker list, downloads, public verification).
  { ...contestPlugin, routes: contestRoutes },
  // One set of session/check-in routes serves both 培训 and 宣讲.
  { ...trainingPlugin, routes: trainingRoutes },
  lecturePlugin,
  { ...quizPlugin, routes: quizRoutes },
  socialPlugin,
];
