import type { CycleConfig } from "../survey/config/cycleConfig.ts";

/**
 * The subject and text of a message for one group: the kind's template, with the group's
 * overrides, and {{name}}, {{link}}, {{closes}} and {{group}} filled in.
 */
export function renderMessage(
  config: CycleConfig,
  kind: "invitation" | "reminder",
  group: string,
  name: string | undefined,
): { subject: string; text: string } {
  const template = config.messages[kind];
  const override = template.groups[group] ?? {};
  const groupConfig = config.groups.find((g) => g.id === group)!;
  const values: Record<string, string> = {
    name: name ?? "colleague",
    link: groupConfig.surveyLink ?? "(the survey link will follow)",
    closes: new Date(`${config.schedule.closes}T12:00:00Z`).toLocaleDateString("en-GB", {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    }),
    group: groupConfig.label,
  };
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  return { subject: fill(override.subject ?? template.subject), text: fill(override.text ?? template.text) };
}
