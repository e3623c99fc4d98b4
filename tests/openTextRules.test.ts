import { describe, expect, it } from "vitest";
import { compileCodebook } from "../lib/survey/ingest/openTextRules.ts";

describe("a codebook's first-pass rules", () => {
  const code = compileCodebook({
    codebook: [
      { id: "training", label: "Training", keywords: ["training", "e-learning"], patterns: [] },
      { id: "supervision", label: "Supervision", keywords: ["supervision"], patterns: ["\\bsupervis(e|ed|ing|ors?)\\b"] },
      { id: "policy", label: "Policy", keywords: ["clear statement"], patterns: [] },
    ],
  });

  it("finds keywords as whole words or phrases, ignoring case, curly quotes and spacing", () => {
    expect(code("TRAINING for all; and a  Clear  Statement")).toEqual(["training", "policy"]);
    expect(code("Mandatory E-Learning modules")).toEqual(["training"]);
    expect(code("retraining")).toEqual([]);
  });

  it("applies regular expressions too, and gives every code an answer carries", () => {
    expect(code("Our supervisors raise it; training too")).toEqual(["training", "supervision"]);
    expect(code("nothing yet")).toEqual([]);
  });
});
