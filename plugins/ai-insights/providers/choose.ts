import type { AiSettings } from '../settings.js';
import { LocalProvider } from './local.provider.js';
import type { InsightProvider } from './provider.js';

/** The provider the settings ask for: OpenAI when chosen (or `auto` with a key), the local one otherwise. */
export function chooseProvider(settings: AiSettings, openai: () => InsightProvider | undefined): InsightProvider {
  const wantsOpenai = settings.provider === 'openai' || (settings.provider === 'auto' && !!settings.openaiApiKey);
  return (wantsOpenai && openai()) || new LocalProvider();
}
