import type { DeadlineRule } from '../domain/deadline-words';

/** A rule as the Deadline table stores it. */
export interface RuleColumns {
  rule: string;
  dueMonth: string | null;
  fromMonth: string | null;
  untilMonth: string | null;
}

export function ruleColumns(rule: DeadlineRule): RuleColumns {
  switch (rule.kind) {
    case 'once':
      return { rule: rule.kind, dueMonth: rule.dueMonth, fromMonth: null, untilMonth: null };
    case 'six-monthly':
    case 'yearly':
      return { rule: rule.kind, dueMonth: null, fromMonth: rule.fromMonth, untilMonth: rule.untilMonth };
    case 'every-meeting':
      return { rule: rule.kind, dueMonth: null, fromMonth: rule.fromMonth, untilMonth: null };
  }
}

/** Reads a stored rule back; a row that does not make sense is a bug or a hand edit, so it throws. */
export function ruleFromColumns(row: RuleColumns): DeadlineRule {
  const need = (value: string | null, column: string): string => {
    if (!value) throw new Error(`Deadline row with rule ${row.rule} lacks ${column}`);
    return value;
  };
  switch (row.rule) {
    case 'once':
      return { kind: 'once', dueMonth: need(row.dueMonth, 'dueMonth') };
    case 'six-monthly':
    case 'yearly':
      return { kind: row.rule, fromMonth: need(row.fromMonth, 'fromMonth'), untilMonth: need(row.untilMonth, 'untilMonth') };
    case 'every-meeting':
      return { kind: 'every-meeting', fromMonth: need(row.fromMonth, 'fromMonth') };
    default:
      throw new Error(`Deadline row with unknown rule ${row.rule}`);
  }
}
