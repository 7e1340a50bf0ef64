/** Low-risk groups and mortality (低风险组病例死亡率): the one definition, shared with the agency's DRG indicators. */
export { type GroupDeaths, lowRiskGroups, lowRiskMortality } from '../payment/common/low-risk.ts';
