import { z } from "zod";

/** Who may do what: the survey team everything, report authors read and download. */
export const roleSchema = z.enum(["survey-team", "report-author"]);

/** A signed-in person's role. */
export type Role = z.infer<typeof roleSchema>;

/** Each role as the pages name it. */
export const ROLE_NAMES: Record<Role, string> = {
  "survey-team": "Survey team",
  "report-author": "Report author",
};

/** Whether `role` may make changes (every POST but signing in and out). */
export function canChange(role: Role): boolean {
  return role === "survey-team";
}
