/** Rule factory: every rule reads the shared file analysis and reports its own findings. */
import type { Rule } from 'eslint';
import { docsPage } from '../meta.js';
import { analyse, type FileAnalysis } from './analysis.js';
import type { Finding, RuleName } from './check.js';

/** The rule's page in the project's repository (docs/rules/NAME.md, also shipped in the package). */
export function docsUrl(name: RuleName): string {
  return docsPage(`docs/rules/${name}.md`);
}

export const MESSAGES = {
  /** A core violation: the message is the core's (src/validate/messages.ts), the same the CLI and receiver print. */
  violation: '{{message}}',
  /** The SDK itself rejects the call (misspelt enum member, invalid EventType). */
  sdk: '{{message}}',
  unverifiable: '{{message}}',
  /** No usable plan for this file (reported once per file). */
  planProblem: '{{message}}',
  rename: 'Rename to "{{name}}"',
  useEventType: 'Use custom_event_type {{type}} (planned as {{key}})',
  useValue: 'Use "{{value}}"',
  useMember: 'Use {{member}}',
} as const;

export interface RuleDoc {
  description: string;
  /** On in configs.recommended (every rule is on in configs.strict). */
  recommended: boolean;
  hasSuggestions?: boolean;
}

function unverifiable(a: FileAnalysis): Finding[] | undefined {
  if (!a.unverifiable) return undefined;
  try {
    const list = a.unverifiable();
    return list.length ? list : undefined;
  } catch (err) {
    a.problem ??= `dataplan could not check this file (${(err as Error)?.message ?? String(err)}); please report it`;
    return undefined;
  }
}

export function createRule(name: RuleName, doc: RuleDoc): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: doc.description, recommended: doc.recommended, url: docsUrl(name) },
      hasSuggestions: doc.hasSuggestions ?? false,
      schema: [],
      messages: MESSAGES,
    },
    create(context) {
      const a = analyse(context);
      const mine = name === 'no-unverifiable-call' ? unverifiable(a) : a.findings.get(name);
      // The plan problem goes to the first rule that runs for the file, once.
      const problem = a.problem && !a.problemReported ? a.problem : undefined;
      if (problem) a.problemReported = true;
      if (!mine && !problem) return {};
      return {
        Program() {
          if (problem) context.report({ loc: { line: 1, column: 0 }, messageId: 'planProblem', data: { message: problem } });
          for (const f of mine ?? []) {
            context.report({
              node: f.node as unknown as Rule.Node,
              messageId: f.messageId,
              data: f.data,
              ...(f.suggest.length && doc.hasSuggestions
                ? { suggest: f.suggest.map((s) => ({ messageId: s.messageId, data: s.data, fix: s.fix as unknown as Rule.ReportFixer })) }
                : {}),
            });
          }
        },
      };
    },
  };
}
