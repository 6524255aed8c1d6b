import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type PluginSetup } from '../../server/plugin.js';
import { PluginGraphError, PluginSettingsError, resolvePluginOrder, settingsFromEnv } from '../../server/plugin-loader.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { gadgetsPlugin } from '../fixtures/gadgets/index.js';

const plugin = (name: string, dependsOn: string[] = [], setup: () => PluginSetup = () => ({})) => definePlugin({ name, dependsOn, setup });

describe('plugin load order', () => {
  it('puts every plugin after what it depends on', () => {
    const order = resolvePluginOrder([plugin('scoring', ['contacts']), plugin('dedup', ['contacts', 'scoring']), plugin('contacts')]);
    expect(order.map((p) => p.name)).toEqual(['contacts', 'scoring', 'dedup']);
  });

  it('names both plugins when a dependency is missing', () => {
    expect(() => resolvePluginOrder([plugin('scoring', ['contacts'])])).toThrow(
      new PluginGraphError('Missing plugin dependencies: "scoring" depends on "contacts", which is not installed'),
    );
  });

  it('says a dependency is not enabled when PLUGINS leaves it out', () => {
    expect(() => resolvePluginOrder([plugin('contacts'), plugin('scoring', ['contacts'])], ['scoring'])).toThrow(
      /"scoring" depends on "contacts", which is not enabled/,
    );
  });

  it('rejects two plugins with one name', () => {
    expect(() => resolvePluginOrder([plugin('contacts'), plugin('contacts')])).toThrow('Two plugins are named "contacts"');
  });

  it('shows the whole cycle', () => {
    expect(() => resolvePluginOrder([plugin('a', ['b']), plugin('b', ['c']), plugin('c', ['a'])])).toThrow('Plugin dependency cycle: a -> b -> c -> a');
  });

  it('rejects an unknown name in PLUGINS and lists what exists', () => {
    expect(() => resolvePluginOrder([plugin('contacts')], ['contacts', 'nope'])).toThrow('PLUGINS names unknown plugin(s): nope (available: contacts)');
  });

  it('enables only the selected plugins', () => {
    const order = resolvePluginOrder([plugin('contacts'), plugin('scoring', ['contacts']), plugin('dedup', ['contacts'])], ['dedup', 'contacts']);
    expect(order.map((p) => p.name)).toEqual(['contacts', 'dedup']);
  });

  it('reads plugin settings from PLUGIN_<NAME>_<KEY> variables', () => {
    expect(settingsFromEnv('ai-insights', { PLUGIN_AI_INSIGHTS_MODEL_NAME: 'x', OTHER: 'y' })).toEqual({ modelName: 'x' });
  });
});

describe('booting plugins', () => {
  let running: TestHost | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('stops the boot with the plugin and key named when settings are invalid', async () => {
    await expect(bootTestHost({ pluginSettings: { gadgets: { lowStockThreshold: -1 } } })).rejects.toThrow(PluginSettingsError);
    await expect(bootTestHost({ pluginSettings: { gadgets: { lowStockThreshold: 'many' } } })).rejects.toThrow(/gadgets\.lowStockThreshold/);
  });

  it('gives each plugin the services of the plugins it depends on', async () => {
    let seen: unknown;
    const reporter = definePlugin({
      name: 'reporter',
      dependsOn: ['gadgets'],
      settings: z.object({}),
      setup: ({ deps }) => {
        seen = deps.gadgets;
        return {};
      },
    });
    running = await bootTestHost({ plugins: [reporter, gadgetsPlugin] });
    expect(running.host.plugins.map((p) => p.name)).toEqual(['gadgets', 'reporter']);
    expect(seen).toBe(running.host.services.gadgets);
    expect(seen).toHaveProperty('gadgets');
  });

  it('boots only the plugins PLUGINS selects', async () => {
    running = await bootTestHost({ plugins: [gadgetsPlugin, plugin('extra')], env: { PLUGINS: 'extra' } });
    expect(running.host.plugins.map((p) => p.name)).toEqual(['extra']);
    const res = await running.request().get('/api/v1/openapi.json');
    expect(Object.keys(res.body.paths)).not.toContain('/gadgets');
  });

  it('refuses two jobs with one name', async () => {
    const twin = definePlugin({
      name: 'twin',
      setup: () => ({ jobs: [{ name: 'gadgets.report-stock', schedule: '* * * * *', run: async () => {} }] }),
    });
    await expect(bootTestHost({ plugins: [gadgetsPlugin, twin] })).rejects.toThrow(
      'Plugin "twin" registers job "gadgets.report-stock", already registered by "gadgets"',
    );
  });
});
