import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DeadlineWordsError, readDeadlineWords, type MilestoneSpec } from '../domain/deadline-words';
import { leadKey, splitLeadWords } from '../domain/leads';
import { isMonth, monthIndex } from '../domain/time';

/** The YAML parser, loaded when plan files are read: a start on a database that has its plans reads none. */
function yaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}

/** The folder of plan data files in this repository. */
export const PLANS_DIR = path.resolve(__dirname, '../../plans');
const LEADS_FILE = 'leads.yaml';

export const ITEM_KINDS = ['action', 'challenge', 'goal', 'outcome'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface LeadSpec {
  name: string;
  kind: 'organisation' | 'group';
  fullName: string | null;
  aliases: string[];
}

export interface ItemSpec {
  ref: string;
  kind: ItemKind;
  text: string;
  section: string | null;
  leadText: string | null;
  leads: string[];
  deadlineText: string | null;
  milestones: MilestoneSpec[];
  comments: string | null;
  waitsOn: string[];
  position: number;
}

export interface ThemeSpec {
  code: string;
  title: string;
  description: string | null;
  position: number;
  items: ItemSpec[];
}

export interface PlanSpec {
  slug: string;
  title: string;
  subtitle: string | null;
  summary: string;
  starts: string;
  ends: string;
  /** The source text this plan was transcribed from, relative to the plans folder. */
  source: string;
  /** The data file, relative to the plans folder. */
  file: string;
  position: number;
  themes: ThemeSpec[];
}

export interface PlanFileSet {
  leads: LeadSpec[];
  plans: PlanSpec[];
}

/** A mistake in a data file: names the file, the item (when there is one) and the field. */
export class PlanFileError extends Error {
  constructor(
    readonly file: string,
    readonly item: string | null,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${file}${item ? `: item ${item}` : ''}${field ? `: field "${field}"` : ''}: ${problem}`);
    this.name = 'PlanFileError';
  }
}

const text = z.string().trim().min(1, 'must not be empty');
const month = z.string().refine(isMonth, 'must be a month such as 2017-04');

const leadsFileSchema = z.strictObject({
  leads: z.array(
    z.strictObject({
      name: text,
      kind: z.enum(['organisation', 'group']),
      fullName: text.optional(),
      aliases: z.array(text).optional(),
    }),
  ),
});

const itemSchema = z.strictObject({
  ref: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be letters, digits and hyphens, such as 12, 1b, LG4 or W1-18a'),
  kind: z.enum(ITEM_KINDS),
  text,
  section: text.optional(),
  lead: text.optional(),
  leads: z.array(text).min(1).optional(),
  deadline: z.union([text, z.array(text).min(1)]).optional(),
  comments: text.optional(),
  waitsOn: z.array(text).optional(),
});

const planFileSchema = z.strictObject({
  plan: z.strictObject({
    slug: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
    title: text,
    subtitle: text.optional(),
    source: text,
    starts: month,
    ends: month,
    summary: text,
  }),
  defaults: z.strictObject({ leads: z.array(text).min(1) }).optional(),
  themes: z
    .array(
      z.strictObject({
        code: text,
        title: text,
        description: text.optional(),
        items: z.array(itemSchema).min(1),
      }),
    )
    .min(1),
});

type RawPlanFile = z.infer<typeof planFileSchema>;

function readYaml(dir: string, file: string): unknown {
  const full = path.join(dir, file);
  let content: string;
  try {
    content = fs.readFileSync(full, 'utf8');
  } catch (error) {
    throw new PlanFileError(file, null, null, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    return yaml().parse(content);
  } catch (error) {
    throw new PlanFileError(file, null, null, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Turns the first zod issue into a PlanFileError naming the item (by its ref) and the field. */
function schemaError(file: string, raw: unknown, error: z.ZodError): PlanFileError {
  const issue = error.issues[0];
  const at = issue.path;
  let item: string | null = null;
  let fieldPath = at;
  const itemsAt = at.indexOf('items');
  if (itemsAt >= 0 && typeof at[itemsAt + 1] === 'number') {
    const rawItem = pick(raw, at.slice(0, itemsAt + 2));
    const ref = pick(rawItem, ['ref']);
    item = typeof ref === 'string' || typeof ref === 'number' ? String(ref) : `number ${Number(at[itemsAt + 1]) + 1}`;
    fieldPath = at.slice(itemsAt + 2);
  }
  let field = fieldPath.filter((part) => typeof part === 'string').join('.') || null;
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    field = [field, ...issue.keys].filter(Boolean).join('.');
    problem = 'is not a known field';
  }
  return new PlanFileError(file, item, field, problem);
}

function pick(value: unknown, route: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of route) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function loadLeads(dir: string): LeadSpec[] {
  const raw = readYaml(dir, LEADS_FILE);
  const parsed = leadsFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(LEADS_FILE, raw, parsed.error);
  const seen = new Set<string>();
  return parsed.data.leads.map((lead) => {
    if (seen.has(leadKey(lead.name))) throw new PlanFileError(LEADS_FILE, null, 'name', `"${lead.name}" is listed twice`);
    seen.add(leadKey(lead.name));
    return { name: lead.name, kind: lead.kind, fullName: lead.fullName ?? null, aliases: lead.aliases ?? [] };
  });
}

function toPlanSpec(file: string, data: RawPlanFile, leadsByKey: Map<string, LeadSpec>): PlanSpec {
  const { plan } = data;
  if (monthIndex(plan.ends) < monthIndex(plan.starts)) {
    throw new PlanFileError(file, null, 'plan.ends', `${plan.ends} is before the plan starts (${plan.starts})`);
  }
  let position = 0;
  const themes = data.themes.map((theme, themeIndex): ThemeSpec => ({
    code: theme.code,
    title: theme.title,
    description: theme.description ?? null,
    position: themeIndex,
    items: theme.items.map((item): ItemSpec => {
      const fail = (field: string, problem: string) => new PlanFileError(file, item.ref, field, problem);
      const leadNames = item.leads ?? (item.lead ? splitLeadWords(item.lead) : data.defaults?.leads);
      if (!leadNames) throw fail('lead', 'every item needs a lead: give "lead" (the plan\'s words) or "leads"');
      const leads = leadNames.map((name) => {
        const known = leadsByKey.get(leadKey(name));
        if (!known) throw fail(item.leads ? 'leads' : 'lead', `"${name}" is not a lead in ${LEADS_FILE}`);
        return known.name;
      });
      const deadlineWords = item.deadline === undefined ? [] : [item.deadline].flat();
      const milestones = deadlineWords.flatMap((words) => {
        try {
          return readDeadlineWords(words, { starts: plan.starts, ends: plan.ends });
        } catch (error) {
          if (error instanceof DeadlineWordsError) throw fail('deadline', error.message);
          throw error;
        }
      });
      // Several milestones: each must be told apart, by its part or its month.
      if (milestones.length > 1 && milestones.some((m) => m.part === null && m.rule.kind !== 'once')) {
        throw fail('deadline', 'a recurring milestone among several needs a part in [brackets]');
      }
      return {
        ref: item.ref,
        kind: item.kind,
        text: item.text,
        section: item.section ?? null,
        leadText: item.lead ?? null,
        leads,
        deadlineText: deadlineWords.length > 0 ? deadlineWords.join('; ') : null,
        milestones,
        comments: item.comments ?? null,
        waitsOn: item.waitsOn ?? [],
        position: position++,
      };
    }),
  }));
  return {
    slug: plan.slug,
    title: plan.title,
    subtitle: plan.subtitle ?? null,
    summary: plan.summary,
    starts: plan.starts,
    ends: plan.ends,
    source: plan.source,
    file,
    position: 0,
    themes,
  };
}

/** Checks that hold across files: unique refs and theme codes, known prerequisites. */
function checkAcrossPlans(plans: PlanSpec[]): void {
  const refs = new Map<string, string>();
  const themes = new Map<string, string>();
  for (const plan of plans) {
    for (const theme of plan.themes) {
      if (themes.has(theme.code.toLowerCase())) {
        throw new PlanFileError(plan.file, null, 'themes.code', `"${theme.code}" is also a theme in ${themes.get(theme.code.toLowerCase())}`);
      }
      themes.set(theme.code.toLowerCase(), plan.file);
      for (const item of theme.items) {
        const key = item.ref.toLowerCase();
        if (refs.has(key)) throw new PlanFileError(plan.file, item.ref, 'ref', `is also used in ${refs.get(key)}`);
        refs.set(key, plan.file);
      }
    }
  }
  for (const plan of plans) {
    for (const item of plan.themes.flatMap((theme) => theme.items)) {
      for (const ref of item.waitsOn) {
        if (!refs.has(ref.toLowerCase())) throw new PlanFileError(plan.file, item.ref, 'waitsOn', `no item has the ref "${ref}"`);
        if (ref.toLowerCase() === item.ref.toLowerCase()) throw new PlanFileError(plan.file, item.ref, 'waitsOn', 'an item cannot wait on itself');
      }
    }
  }
}

/**
 * Reads and checks every data file in the plans folder: leads.yaml and one file per plan.
 * Throws PlanFileError on the first mistake; nothing is written anywhere.
 */
export function loadPlanFiles(dir: string = PLANS_DIR): PlanFileSet {
  const leads = loadLeads(dir);
  const leadsByKey = new Map(leads.map((lead) => [leadKey(lead.name), lead]));
  const files = fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== LEADS_FILE)
    .sort();
  const plans = files.map((file) => {
    const raw = readYaml(dir, file);
    const parsed = planFileSchema.safeParse(raw);
    if (!parsed.success) throw schemaError(file, raw, parsed.error);
    return toPlanSpec(file, parsed.data, leadsByKey);
  });
  const slugs = new Set<string>();
  for (const plan of plans) {
    if (slugs.has(plan.slug)) throw new PlanFileError(plan.file, null, 'plan.slug', `"${plan.slug}" is used by another file`);
    slugs.add(plan.slug);
  }
  plans.sort((a, b) => monthIndex(a.starts) - monthIndex(b.starts));
  plans.forEach((plan, index) => (plan.position = index));
  checkAcrossPlans(plans);
  return { leads, plans };
}
