// The components security-team authors can use in MDX: `import { Checklist } from '@trust/mdx';`
export { default as FrameworkGrid } from './FrameworkGrid.astro';
export { default as ControlCoverage } from './ControlCoverage.astro';
export { default as PracticeCards } from './PracticeCards.astro';
export { default as Checklist } from './Checklist.astro';
export { default as MetricsTable } from './MetricsTable.astro';
export { default as SeverityTiers } from './SeverityTiers.astro';
export { default as RolesMatrix } from './RolesMatrix.astro';
export { default as EncryptionTable } from './EncryptionTable.astro';
export { default as SubprocessorTable } from './SubprocessorTable.astro';
export { default as PolicyList } from './PolicyList.astro';
export { default as NdaOnly } from './NdaOnly.astro';
