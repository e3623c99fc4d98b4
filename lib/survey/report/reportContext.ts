import type { ComparisonResult, ItemResult, ResultsDocument, Share } from "../results/resultsSchema.ts";
import { escapeHtml } from "../../report/html.ts";
import { FigureList } from "./reportFigures.ts";

/**
 * What every section of one report shares while it is written: the results, the group labels,
 * the numbered notes and figures (numbered in the order the sections add them), and how a
 * figure that is not shown is marked.
 */
export class ReportContext {
  readonly threshold: number;
  readonly footnotes = new Footnotes();
  readonly figures: FigureList;
  private readonly labels: Map<string, string>;
  private readonly itemsById: Map<string, ItemResult>;
  private readonly declaredFor: Map<string, number[]>;
  /** The note every "n<30" points to: added first, so it is always note 1. */
  private readonly suppressedNote: number;

  constructor(readonly document: ResultsDocument, pngFigures: boolean) {
    this.threshold = document.suppressionThreshold;
    this.labels = new Map(document.responseRates.groups.map((g) => [g.group, g.label]));
    this.itemsById = new Map(document.items.map((item) => [item.id, item]));
    this.suppressedNote = this.footnotes.add(`n&lt;${this.threshold}: fewer than ${this.threshold} answers, so the figure is not shown (nor anything that would reveal it).`);
    this.declaredFor = new Map();
    for (const figure of document.figures) for (const item of figure.items) this.declaredFor.set(item, [...(this.declaredFor.get(item) ?? []), figure.number]);
    // Automatic figures are numbered after the published ones the cycle file declares.
    this.figures = new FigureList(pngFigures, Math.max(0, ...document.figures.map((f) => f.number)) + 1);
  }

  /** A group's label as people read it (charts and CSVs). */
  groupName(group: string): string {
    return this.labels.get(group) ?? group;
  }

  /** A group's label for the page (escaped). */
  groupLabel(group: string): string {
    return escapeHtml(this.groupName(group));
  }

  /** An item by its id (undefined if the results have no such item). */
  item(id: string): ItemResult | undefined {
    return this.itemsById.get(id);
  }

  /** The numbers of the declared (published) figures that draw an item: none for an item drawn automatically. */
  drawnIn(item: string): number[] {
    return this.declaredFor.get(item) ?? [];
  }

  /** An item's text by its id, or the id where the results have no such item. */
  itemText(id: string): string {
    return this.itemsById.get(id)?.text ?? id;
  }

  /** The tests between groups on one item (the ones its label footnotes). */
  comparisonsOf(item: string): ComparisonResult[] {
    return this.document.comparisons.filter((c) => c.item === item && c.kind === "groups");
  }

  /** A share as a table cell: its percentage, or the mark saying why it is not shown. */
  cell(share: Share): string {
    return share.suppressed ? this.mark(share) : `${share.percentage}%`;
  }

  /** Why a figure is not shown, footnoted: too few answers, or hidden so another cannot be worked out. */
  mark(share: Share & { suppressed: true }): string {
    if (share.reason !== "complementary") return this.tooFewMark();
    const note = this.footnotes.add("hidden: shown, this figure and the ones beside it would let a hidden figure be worked out, exactly or as 0% or 100%.");
    return `hidden<sup><a href="#fn-${note}">${note}</a></sup>`;
  }

  /** "n<30" with its note. */
  tooFewMark(): string {
    return `n&lt;${this.threshold}<sup><a href="#fn-${this.suppressedNote}">${this.suppressedNote}</a></sup>`;
  }
}

/** Numbered notes, each added once. */
export class Footnotes {
  private readonly notes: string[] = [];
  add(html: string): number {
    const existing = this.notes.indexOf(html);
    if (existing >= 0) return existing + 1;
    this.notes.push(html);
    return this.notes.length;
  }
  html(): string {
    return `<ol class="notes">${this.notes.map((note, i) => `<li id="fn-${i + 1}">${note}</li>`).join("")}</ol>`;
  }
}
