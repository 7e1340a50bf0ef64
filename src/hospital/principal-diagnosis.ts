/** The codes that may not be the principal diagnosis live with the other classification facts (src/codes). */
export { notValidAsPrincipal, SECONDARY_ONLY_RANGES, type SecondaryOnlyRange } from '../codes/principal-diagnosis.ts';
