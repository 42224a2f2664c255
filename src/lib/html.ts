/** Escapes text for HTML element content and attribute values: the gate's pages and mails, and what Starlight writes as HTML. */
export function esc(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}
