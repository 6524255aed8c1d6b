// ESLint rule: a plugin imports another plugin only through that plugin's public surface
// (plugins/<name>/public.ts). Anything outside plugins/ is not restricted here.
import path from 'node:path';

const PLUGINS = path.resolve(import.meta.dirname, '../../plugins');

function pluginOf(file) {
  const rel = path.relative(PLUGINS, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [name, ...rest] = rel.split(path.sep);
  return rest.length ? { name, inside: rest.join('/') } : null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Plugins import other plugins only through their public.ts' },
    messages: {
      private:
        'Plugin "{{from}}" imports "{{inside}}" of plugin "{{to}}": import \'{{to}}/public.js\' instead (only a plugin\'s public surface may be used by others).',
    },
    schema: [],
  },
  create(context) {
    const from = pluginOf(context.filename);
    if (!from) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = pluginOf(path.resolve(path.dirname(context.filename), spec));
      if (!target || target.name === from.name) return;
      if (/^public(\.(js|ts))?$/.test(target.inside)) return;
      context.report({ node: node.source, messageId: 'private', data: { from: from.name, to: target.name, inside: target.inside } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
