// The stable codes the backend uses for choices, and their names in the interface
// language. The stored choices are named in `locales/*/choices.ftl` as
// `choice-<group>-<code>` (shared with the command line and printed documents);
// timeline kinds, languages, risk levels, reliable change and who filled in a
// questionnaire, which only the window shows, in `caseload.ftl`.
// `choices.test.ts` checks that every code has a name in every language.
import { t } from "./i18n.svelte";

export const CHOICES = {
  format: ["individual", "group", "online", "home_visit"],
  disability: ["none", "child", "group_1", "group_2", "group_3"],
  irp: ["none", "in_preparation", "active", "completed", "expired"],
  scope: ["record", "server", "referral"],
  given_by: ["client", "representative"],
  method: ["signed_paper", "verbal_witness"],
  intervention: [
    "psychoeducation",
    "supportive_counselling",
    "stress_management",
    "cbt",
    "problem_solving",
    "family_counselling",
    "crisis",
    "services_information",
    "peer_support",
    "self_care",
  ],
  kind: ["follow_up", "appointment", "call", "questionnaire"],
  timeline: [
    "consultation",
    "consent_given",
    "consent_withdrawn",
    "follow_up",
    "follow_up_done",
    "assessment",
    "flag_raised",
    "flag_resolved",
  ],
  language: ["kk", "ru", "en"],
  risk_level: ["low", "moderate", "high", "imminent"],
  change: ["reliable_improvement", "reliable_deterioration", "no_reliable_change"],
  administered_by: ["clinician", "parent"],
  service_kind: [
    "psychiatry",
    "rehabilitation",
    "respite_care",
    "peer_group",
    "social_protection",
    "family_support_centre",
    "ngo",
  ],
  urgency: ["routine", "soon", "urgent"],
  status: ["draft", "issued", "delivered", "attended", "declined"],
} as const;

export type ChoiceGroup = keyof typeof CHOICES;

const PREFIX: Record<ChoiceGroup, string> = {
  format: "choice-format",
  disability: "choice-disability",
  irp: "choice-irp",
  scope: "choice-scope",
  given_by: "choice-given_by",
  method: "choice-method",
  intervention: "choice-intervention",
  kind: "choice-kind",
  timeline: "timeline-kind",
  language: "language-name",
  risk_level: "risk-level",
  change: "assessment-change",
  administered_by: "assess-by",
  service_kind: "choice-service_kind",
  urgency: "choice-urgency",
  status: "choice-status",
};

/** The Fluent id naming `code` of `group`. */
export function choiceId(group: ChoiceGroup, code: string): string {
  return `${PREFIX[group]}-${code}`;
}

/** The name of `code` in the interface language; an unknown code shows as itself. */
export function choiceLabel(group: ChoiceGroup, code: string | null | undefined): string {
  if (!code) return "";
  return (CHOICES[group] as readonly string[]).includes(code) ? t(choiceId(group, code)) : code;
}
