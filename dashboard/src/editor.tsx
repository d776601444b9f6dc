// A CodeMirror 6 editor as a Preact component: FQL or FSL highlighting, history, bracket
// matching, completion of names the caller supplies, Mod-Enter to run, and diagnostics shown
// at their line and column. The accessible name goes on the editable element, so screen
// readers and tests find it by its label ("Query", "Schema", "Document").
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext } from '@codemirror/autocomplete';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { fqlHighlight, fqlLanguage, fslLanguage } from './fql-language';

export interface EditorMark {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface EditorProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly language: 'fql' | 'fsl';
  readonly onRun?: () => void;
  /** Names offered by completion (collections, indexes, functions). */
  readonly completions?: readonly string[];
  /** Errors to show in the text (1-based line and column). */
  readonly marks?: readonly EditorMark[];
  readonly minLines?: number;
}

function toDiagnostics(state: EditorState, marks: readonly EditorMark[]): Diagnostic[] {
  return marks.map((m) => {
    const line = state.doc.line(Math.min(Math.max(m.line, 1), state.doc.lines));
    const from = Math.min(line.from + Math.max(m.column - 1, 0), line.to);
    return { from, to: Math.max(from, Math.min(line.to, from + 1)), severity: 'error', message: m.message };
  });
}

export function Editor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const complete = (ctx: CompletionContext) => {
      const word = ctx.matchBefore(/[A-Za-z_][\w]*/);
      if (!word || (word.from === word.to && !ctx.explicit)) return null;
      return { from: word.from, options: (latest.current.completions ?? []).map((label) => ({ label, type: 'variable' })) };
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), closeBrackets(), indentOnInput(),
          props.language === 'fsl' ? fslLanguage : fqlLanguage, fqlHighlight,
          autocompletion({ override: [complete] }),
          linter(null), lintGutter(),
          keymap.of([
            { key: 'Mod-Enter', run: () => { latest.current.onRun?.(); return true; } },
            ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab,
          ]),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          EditorView.updateListener.of((u) => { if (u.docChanged) latest.current.onChange(u.state.doc.toString()); }),
          EditorView.theme({ '&': { minHeight: `${(props.minLines ?? 6) * 1.4}em` }, '.cm-scroller': { fontFamily: 'ui-monospace, monospace' } }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  // Outside changes (a file switched, a history entry recalled) replace the text, in the same
  // commit as the render that brought them.
  useLayoutEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== props.value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.value } });
    }
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state, props.marks ?? [])));
  }, [props.marks, props.value]);

  return <div class="editor" ref={host} />;
}

