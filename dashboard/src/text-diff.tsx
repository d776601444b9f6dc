// A read-only unified diff of one FSL file (active → edited), with CodeMirror's merge view:
// deleted lines inline above the lines that replace them, unchanged stretches collapsed.
import { useEffect, useRef } from 'preact/hooks';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { unifiedMergeView } from '@codemirror/merge';
import { fqlHighlight, fslLanguage } from './fql-language';

export function TextDiff(props: { filename: string; original: string; modified: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.modified,
        extensions: [
          lineNumbers(), fslLanguage, fqlHighlight, EditorState.readOnly.of(true), EditorView.editable.of(false),
          EditorView.contentAttributes.of({ 'aria-label': `Changes to ${props.filename}` }),
          unifiedMergeView({ original: props.original, mergeControls: false, highlightChanges: false, collapseUnchanged: { margin: 2, minSize: 6 } }),
        ],
      }),
    });
    return () => view.destroy();
  }, [props.original, props.modified]);
  return (
    <figure class="textdiff">
      <figcaption>{props.filename}</figcaption>
      <div ref={host} />
    </figure>
  );
}
