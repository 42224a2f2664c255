/** The security team's content folder, relative to the project root. */
export const CONTENT_DIR = 'content';
