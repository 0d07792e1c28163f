/** The settings catalog checks (issue 19): each setting's id, value and platform against the index. Each rule lives in its own file. */
import type { Rule } from '../rule';
import { invalidSettingValue } from './invalid-setting-value';
import { settingPlatformMismatch } from './setting-platform-mismatch';
import { unknownSetting } from './unknown-setting';

export const SETTINGS_CATALOG_RULES: Rule[] = [invalidSettingValue, settingPlatformMismatch, unknownSetting];
