import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** Named with their content's hash: a browser may keep them for a year and never ask again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Under their plain names (and pages): a browser asks every time, and gets 304 when unchanged. */
export const REVALIDATE = 'no-cache';

const require = createRequire(import.meta.url);
const ROBOTO = path.dirname(require.resolve('@fontsource/roboto/package.json'));
const ROBOTO_VERSION = (JSON.parse(readFileSync(path.join(ROBOTO, 'package.json'), 'utf8')) as { version: string }).version;
/** The weights the admin's design system uses. */
const ROBOTO_WEIGHTS = [300, 400, 500, 700];
const FAVICON = path.join(import.meta.dirname, 'favicon.svg');
const GOOGLE_FONTS_LINK = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>/g;

const compressors = {
  br: (body: Buffer) => promisify(brotliCompress)(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body: Buffer) => promisify(gzip)(body, { level: 9 }),
};
type Encoding = keyof typeof compressors;

interface Asset {
  /** The plain name AdminJS's pages use, e.g. app.bundle.js. */
  name: string;
  /** The name with the content hash, e.g. app.bundle.3f9c01d2ab.js. */
  hashed: string;
  type: string;
  body: Buffer;
  etag: string;
  compressed: Map<Encoding, Promise<Buffer>>;
}

function asset(name: string, body: Buffer, type: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  return { name, hashed: `${name.slice(0, dot)}.${hash}${name.slice(dot)}`, type, body, etag: `"${hash}"`, compressed: new Map() };
}

/** The Roboto faces the design system asks for, from the installed @fontsource package, their files beside. */
function robotoStylesheet(filesUrl: string): Buffer {
  const css = ROBOTO_WEIGHTS.map((weight) => readFileSync(path.join(ROBOTO, `${weight}.css`), 'utf8')).join('\n');
  return Buffer.from(css.replace(/url\(\.\/files\//g, `url(${filesUrl}/`));
}

/** The encoding to answer with: brotli, else gzip, else none. */
function negotiate(req: Request): Encoding | undefined {
  const accepted = new Map(
    (req.get('accept-encoding') ?? '').split(',').map((part) => {
      const [coding, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return [coding!, q === undefined ? 1 : Number(q)] as const;
    }),
  );
  return (['br', 'gzip'] as const).find((coding) => (accepted.get(coding) ?? 0) > 0);
}

/**
 * The admin's static assets, served by this platform alone: AdminJS's scripts (their production
 * builds whatever the mode, smaller and without development warnings), the components' bundle, the
 * Roboto font from the installed package instead of a web-font service, and the icon. Each is
 * served compressed (brotli or gzip, made on first request and kept) under its content-hashed
 * name with a year's cache, and under its plain name revalidated on every use. Pages are
 * rewritten to link the hashed names.
 */
export class AdminAssets {
  private readonly byName = new Map<string, Asset>();
  private readonly byHashed = new Map<string, Asset>();
  private readonly fontFiles: string;

  constructor(
    private readonly root: string,
    sources: { path: string; src: string }[],
    componentsBundle: string,
  ) {
    const assetsUrl = `${root}/frontend/assets`;
    this.fontFiles = `${assetsUrl}/roboto-${ROBOTO_VERSION}`;
    const scripts = sources.filter((s) => s.path.startsWith('/frontend/assets/') && s.path.endsWith('.bundle.js') && existsSync(s.src));
    for (const { path: url, src } of scripts) {
      const production = src.replace(/\.development\.js$/, '.production.js');
      this.add(asset(url.slice('/frontend/assets/'.length), readFileSync(existsSync(production) ? production : src), 'text/javascript; charset=utf-8'));
    }
    // Bundled at start-up; without it (a test that does not bundle) AdminJS's own route builds it on request.
    if (existsSync(componentsBundle)) this.add(asset('components.bundle.js', readFileSync(componentsBundle), 'text/javascript; charset=utf-8'));
    this.add(asset('roboto.css', robotoStylesheet(this.fontFiles), 'text/css; charset=utf-8'));
    this.add(asset('favicon.svg', readFileSync(FAVICON), 'image/svg+xml'));
  }

  private add(entry: Asset) {
    this.byName.set(entry.name, entry);
    this.byHashed.set(entry.hashed, entry);
  }

  /** The URL a page should use for an asset: its hashed name. */
  url(name: string): string {
    const entry = this.byName.get(name);
    return `${this.root}/frontend/assets/${entry ? entry.hashed : name}`;
  }

  /** Serves the assets; mount before AdminJS's own asset routes so these answer first. */
  router(): Router {
    const router = express.Router();
    // The font files carry the package's version in their path, so they never change under it.
    router.use(`/frontend/assets/roboto-${ROBOTO_VERSION}`, express.static(path.join(ROBOTO, 'files'), { immutable: true, maxAge: '365d', index: false }));
    router.get('/frontend/assets/:file', (req, res, next) => {
      const file = req.params.file;
      const hashed = this.byHashed.get(file);
      const entry = hashed ?? this.byName.get(file);
      if (!entry) return next();
      this.send(req, res, entry, hashed ? IMMUTABLE : REVALIDATE).catch(next);
    });
    return router;
  }

  private async send(req: Request, res: Response, entry: Asset, cacheControl: string) {
    res.set({ 'Cache-Control': cacheControl, 'Content-Type': entry.type, ETag: entry.etag, Vary: 'Accept-Encoding' });
    if (req.fresh) return void res.status(304).end();
    const encoding = negotiate(req);
    let body = entry.body;
    if (encoding) {
      let compressed = entry.compressed.get(encoding);
      if (!compressed) entry.compressed.set(encoding, (compressed = compressors[encoding](entry.body)));
      body = await compressed;
      res.set('Content-Encoding', encoding);
    }
    res.set('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A page's links to assets: hashed names, the local font instead of the web-font service, the icon. */
  rewrite(html: string): string {
    let page = html.replace(GOOGLE_FONTS_LINK, `<link rel="stylesheet" href="${this.url('roboto.css')}" type="text/css">`);
    for (const entry of this.byName.values()) {
      page = page.split(`${this.root}/frontend/assets/${entry.name}"`).join(`${this.url(entry.name)}"`);
    }
    if (!/<link[^>]+rel="(shortcut )?icon"/.test(page))
      page = page.replace(/<\/head>/i, `<link rel="icon" type="image/svg+xml" href="${this.url('favicon.svg')}"></head>`);
    return page;
  }

  /** Wraps `res.send` so every HTML page links the hashed assets and is revalidated on every visit. */
  linkPages() {
    return (_req: Request, res: Response, next: NextFunction): void => {
      const send = res.send.bind(res);
      res.send = ((body: unknown) => {
        if (typeof body === 'string' && /^\s*<!DOCTYPE html/i.test(body)) {
          res.set('Cache-Control', REVALIDATE);
          return send(this.rewrite(body));
        }
        return send(body as never);
      }) as Response['send'];
      next();
    };
  }
}
