// The article body editor: django-prose-editor's ProseMirror/Tiptap bundle (shipped in the
// wheel, served from our own static files), started without inline styles so it works under
// a CSP with no 'unsafe-inline'. The textarea stays the form field: the editor writes its
// HTML back on every change, and the server sanitizes it with nh3 on save.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Gapcursor, HardBreak, Heading, History,
  HorizontalRule, Image, Italic, Link, ListItem, Menu, NoSpellCheck, OrderedList, Paragraph,
  Strike, Subscript, Superscript, Table, TableCell, TableHeader, TableRow, Text, Underline,
  Editor,
} from "../django_prose_editor/editor.js";

function start(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const holder = document.createElement("div");
  holder.className = "prose-editor";
  textarea.before(holder);
  holder.append(textarea);
  textarea.hidden = true;
  const editor = new Editor({
    element: holder,
    injectCSS: false,
    extensions: [
      Document, Paragraph, Text, HardBreak, Dropcursor, Gapcursor, History, Menu, NoSpellCheck,
      Heading.configure({ levels: [2, 3, 4] }), Bold, Italic, Underline, Strike, Subscript,
      Superscript, BulletList, OrderedList, ListItem, Blockquote, HorizontalRule, Link,
      Image, Table, TableRow, TableHeader, TableCell,
    ],
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
    },
  });
  holder.querySelector(".ProseMirror")?.setAttribute("data-testid", "editor");
  const picker = document.querySelector("[data-editor-images]");
  if (picker) {
    picker.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-src]");
      if (!button) return;
      event.preventDefault();
      editor.chain().focus().setImage({ src: button.dataset.src, alt: button.dataset.alt }).run();
    });
  }
  return editor;
}

for (const textarea of document.querySelectorAll("textarea[data-rich-text]")) start(textarea);
