// Every demo topic in one list. The order is part of the content: decks are built from this list and shuffled with
// a seeded generator, so moving, adding or removing a topic changes which item gets which story across the whole site.
import { NEIGHBOURHOOD_TOPIC, SPORTS_TOPIC, TRAFFIC_TOPIC, WEATHER_TOPIC } from './topics-background.ts';
import { JOB_STABILISATION_TOPIC, RETIREMENT_TOPIC, SOCIAL_SECURITY_CARD_TOPIC } from './topics-benefits.ts';
import {
  FLEXIBLE_EMPLOYMENT_TOPIC,
  RECRUITMENT_TOPIC,
  SKILLS_TRAINING_TOPIC,
  UNEMPLOYMENT_INSURANCE_TOPIC,
  WAGE_ARREARS_TOPIC,
} from './topics-employment.ts';
import {
  CROSS_REGION_MEDICAL_TOPIC,
  MEDICAL_REIMBURSEMENT_TOPIC,
  PENSION_TOPIC,
  WORK_INJURY_TOPIC,
} from './topics-insurance.ts';
import type { TopicTemplate } from './topic-template.ts';

/** All topics, HR themes first, then the background ones (about 20% of generated items). */
export const TOPICS: readonly TopicTemplate[] = [
  PENSION_TOPIC,
  MEDICAL_REIMBURSEMENT_TOPIC,
  CROSS_REGION_MEDICAL_TOPIC,
  WORK_INJURY_TOPIC,
  WAGE_ARREARS_TOPIC,
  RECRUITMENT_TOPIC,
  SKILLS_TRAINING_TOPIC,
  UNEMPLOYMENT_INSURANCE_TOPIC,
  FLEXIBLE_EMPLOYMENT_TOPIC,
  SOCIAL_SECURITY_CARD_TOPIC,
  RETIREMENT_TOPIC,
  JOB_STABILISATION_TOPIC,
  TRAFFIC_TOPIC,
  WEATHER_TOPIC,
  SPORTS_TOPIC,
  NEIGHBOURHOOD_TOPIC,
];
