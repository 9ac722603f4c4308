// Text and data inside the self-contained HTML reports (run report; matrix.html has the same rules).
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script> must not be able to close the tag. */
export const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');
