// Rule documentation bundled into the CLI (`clipwise rule CLP002` works offline).
import type { RuleCode } from '../../analysis/api';
import CLP001 from '../../docs/rules/CLP001.md';
import CLP002 from '../../docs/rules/CLP002.md';
import CLP003 from '../../docs/rules/CLP003.md';
import CLP004 from '../../docs/rules/CLP004.md';
import CLP005 from '../../docs/rules/CLP005.md';
import CLP006 from '../../docs/rules/CLP006.md';
import CLP007 from '../../docs/rules/CLP007.md';
import CLP008 from '../../docs/rules/CLP008.md';
import CLP009 from '../../docs/rules/CLP009.md';
import CLP010 from '../../docs/rules/CLP010.md';
import CLP011 from '../../docs/rules/CLP011.md';

export const RULE_DOCS: Record<RuleCode, string> = { CLP001, CLP002, CLP003, CLP004, CLP005, CLP006, CLP007, CLP008, CLP009, CLP010, CLP011 };
