/** Category counts of one item in one group (index 0 = blank, k + 1 = the k-th category). */
export interface ItemTally {
  id: string;
  categories: string[];
  counts: number[];
}

/** Selections of one multi-select question in one group. */
export interface MultiSelectTally {
  id: string;
  options: string[];
  /** Respondents who chose at least one option. */
  answered: number;
  selected: number[];
}

/** Item tallies of the respondents in one subgroup. */
export interface SubgroupTally {
  variable: string;
  subgroup: string;
  respondents: number;
  items: Map<string, ItemTally>;
}

/** Everything compute needs from one group's responses: counts only. */
export interface GroupTally {
  group: string;
  childAndFamilyOnly: number;
  both: number;
  /** Responses from an export without the service-area question (not split); absent: none. */
  serviceAreaNotAsked?: number;
  items: Map<string, ItemTally>;
  multiSelect: Map<string, MultiSelectTally>;
  subgroups: SubgroupTally[];
}
