// How a conflicting field is named and its values shown side by side: the label the
// field has on its form, a stored code by its name, a date as people read it.

import { CHOICES, choiceLabel, type ChoiceGroup } from "../../lib/choices";
import { showDate } from "../../lib/dates";
import { hasMessage, locale, t } from "../../lib/i18n.svelte";

/** The forms' message prefix of each entity whose fields have labels. */
const FORM_PREFIX: Record<string, string> = {
  client: "client",
  child: "child",
  consent: "consent",
  consultation: "consult",
  follow_up: "followup",
};

/** Fields whose label on the form is not `<prefix>-<field>`. */
const LABEL_OF: Record<string, string> = {
  "consultation.duration_minutes": "consult-duration",
  "child.irp_status": "child-irp-status",
};

/** Fields holding a stored code, by the group that names it. */
const GROUP_OF: Record<string, ChoiceGroup> = {
  format: "format",
  disability: "disability",
  irp_status: "irp",
  scope: "scope",
  given_by: "given_by",
  method: "method",
  kind: "kind",
  language: "language",
  level: "risk_level",
  urgency: "urgency",
  status: "status",
  administered_by: "administered_by",
};

/** The field's label as its form shows it, or a general one naming it. */
export function fieldLabel(entity: string, field: string): string {
  const special = LABEL_OF[`${entity}.${field}`];
  if (special) return t(special);
  const prefix = FORM_PREFIX[entity];
  const id = prefix ? `${prefix}-${field.replaceAll("_", "-")}` : null;
  if (id && hasMessage(locale.language, id)) return t(id);
  return t("review-field-other", { field: field.replaceAll("_", " ") });
}

/** A stored value as a person reads it; `null` is the empty value. */
export function fieldValue(field: string, value: string | null): string {
  if (value === null || value === "") return t("review-empty");
  const group = GROUP_OF[field];
  if (group && (CHOICES[group] as readonly string[]).includes(value)) return choiceLabel(group, value);
  if (field === "interventions") {
    return value
      .split(",")
      .map((code) => choiceLabel("intervention", code.trim()))
      .join(", ");
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return showDate(value);
  return value;
}
