// Real servers that tests start beside hearth: coturn (a TURN relay), and nginx and Caddy
// (reverse proxies terminating TLS). Debian's programs, each on a free loopback port with its own
// config in a temporary folder, stopped when the test ends.
import { spawn, execFileSync, ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './fixtures';

const root = path.resolve(__dirname, '..');

/** A child process that tests start and stop, with what it printed. */
export class Daemon {
  output = '';
  private proc?: ChildProcess;
  constructor(readonly name: string, readonly dir: string, private cmd: string, private args: string[],
              private env: Record<string, string> = {}) {}

  /** Starts it and waits (with a deadline) until `port` accepts TCP connections. */
  async start(port: number): Promise<void> {
    const proc = spawn(this.cmd, this.args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir, env: { ...process.env, ...this.env } });
    this.proc = proc;
    const keep = (b: Buffer) => { this.output += b.toString(); };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const deadline = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null) throw new Error(`${this.name} exited with ${proc.exitCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not listen on ${port}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops it and waits until it has exited. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGTERM'); });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** coturn as TOOLCHAIN.md verified it: TURN REST credentials with `secret`, loopback only,
 * loopback peers allowed (both browsers are on this machine). */
export async function startCoturn(secret: string): Promise<{ daemon: Daemon; port: number; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-coturn-'));
  const port = await freePort();
  const daemon = new Daemon('coturn', dir, 'turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=hearth-test',
    '--allow-loopback-peers', '--cli-password=x', '--no-tls', '--no-dtls',
    '--log-file=stdout', '--simple-log', `--pidfile=${path.join(dir, 'turnserver.pid')}`,
  ]);
  await daemon.start(port);
  return { daemon, port, url: `turn:127.0.0.1:${port}?transport=udp` };
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
export function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

/** nginx terminating TLS (HTTP/2) on `port` in front of hearth at `upstream`, with the server
 * block that the README tells people to use (`deploy/nginx.conf`), ports and paths filled in. */
export async function startNginx(port: number, upstream: string): Promise<Daemon> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-nginx-'));
  const { cert, key } = selfSigned(dir);
  const site = readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8')
    .replace(/^(\s+)listen 443 ssl http2;/m, `$1listen 127.0.0.1:${port} ssl http2;`)
    .replace(/^\s+listen \[::\]:443 ssl http2;\n/m, '')
    .replace(/^(\s+)server_name [^;]+;/m, '$1server_name 127.0.0.1;')
    .replace(/^(\s+)ssl_certificate\s+[^;]+;/m, `$1ssl_certificate ${cert};`)
    .replace(/^(\s+)ssl_certificate_key\s+[^;]+;/m, `$1ssl_certificate_key ${key};`)
    .replace(/proxy_pass http:\/\/127\.0\.0\.1:8080;/g, `proxy_pass http://${upstream};`);
  const tmp = (n: string) => `${n}_temp_path ${path.join(dir, n)};`;
  const conf = `daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log stderr notice;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(tmp).join('\n  ')}
${site}
}
`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const daemon = new Daemon('nginx', dir, '/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')]);
  await daemon.start(port);
  return daemon;
}

/** Caddy (Debian's) on `port` in front of hearth at `upstream`, with the site that the README
 * tells people to use (`deploy/Caddyfile`), the name and the upstream filled in. Its own
 * internal CA makes the certificate; it installs nothing and asks the internet for nothing. */
export async function startCaddy(port: number, upstream: string): Promise<Daemon> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-caddy-'));
  const site = readFileSync(path.join(root, 'deploy', 'Caddyfile'), 'utf8')
    .replace(/^chat\.example\.com \{/m, `https://127.0.0.1:${port} {`)
    .replace(/reverse_proxy 127\.0\.0\.1:8080/, `reverse_proxy ${upstream}`);
  const conf = `{
\tadmin off
\tskip_install_trust
\tlocal_certs
\tauto_https disable_redirects
\tstorage file_system ${path.join(dir, 'data')}
}
${site}`;
  writeFileSync(path.join(dir, 'Caddyfile'), conf);
  const daemon = new Daemon('caddy', dir, 'caddy', ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
    { HOME: dir, XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') });
  await daemon.start(port);
  return daemon;
}
