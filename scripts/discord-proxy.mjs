// The shared Discord REST proxy (`npm run discord-proxy`): one @discordjs/proxy in front of Discord, so every
// bot process pointed at it (DISCORD_API_URL=http://<host>:<port>/api) shares one view of Discord's rate limits,
// the global 50 requests/s per bot and the per-route buckets, instead of each process guessing on its own.
//
// Plain JavaScript so production runs it with `node` alone (tsx is a devDependency). It logs through the bot's
// own logger (dist/logger.js; `npm run discord-proxy` builds dist/ first when it is missing or stale), which
// scrubs the token, Authorization headers and interaction tokens in webhook paths.
//
// Environment (or .env, as for the bot):
//   DISCORD_TOKEN           required: the one bot whose limits this proxy tracks; requests carrying another bot's
//                           Authorization are refused, since they would be counted against this bot's limits.
//   PROXY_PORT              default 8080; 0 picks a free port (the "listening" line names it).
//   PROXY_HOST              default 127.0.0.1; 0.0.0.0 to serve bot processes on other hosts.
//   DISCORD_PROXY_UPSTREAM  default https://discord.com/api: the API base it forwards to (tests: a fake Discord).
//   LOG_LEVEL               default info; debug also logs every time a request is held for a rate limit.
// The lint config lists only a few Node globals for plain JS files; this one is Node's own too.
/* global AbortController */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import { REST } from '@discordjs/rest';
import { parse as parseDotenv } from 'dotenv';
import { createLogger } from '../dist/logger.js';

/** Stops the start with the same kind of message the bot gives for a bad setting. */
function fail(message) {
	console.error(`discord-proxy: ${message}`);
	process.exit(1);
}

// Like the bot (src/config.ts loadConfig): `.env` if present, a non-empty environment variable wins over it.
const env = existsSync('.env') ? parseDotenv(readFileSync('.env')) : {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined && value !== '') env[name] = value;

const token = env.DISCORD_TOKEN?.trim() ?? '';
if (token === '') fail('DISCORD_TOKEN is required (the token of the bot whose requests this proxy carries)');
const portText = env.PROXY_PORT?.trim() || '8080';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535) fail(`PROXY_PORT must be a whole number from 0 to 65535, not "${portText}"`);
const host = env.PROXY_HOST?.trim() || '127.0.0.1';
const upstream = (env.DISCORD_PROXY_UPSTREAM?.trim() || 'https://discord.com/api').replace(/\/+$/, '');
if (!URL.canParse(upstream) || !/^https?:$/.test(new URL(upstream).protocol)) {
	fail(`DISCORD_PROXY_UPSTREAM must be an http(s) URL such as https://discord.com/api, not "${upstream}"`);
}

const log = createLogger({ level: env.LOG_LEVEL?.trim() || 'info', secrets: [token] }).child({ component: 'discord-proxy' });

// `api` is the base without the version: @discordjs/rest appends /v10 itself, and the proxy strips the
// /api[/vN] prefix a client sends, so a bot's `rest.api` of http://proxy:8080/api lands on <upstream>/v10/...
const rest = new REST({ api: upstream, version: '10' }).setToken(token);
rest.on('rateLimited', (info) => log.debug({ rateLimit: info }, 'request held for a rate limit'));
// One request, as @discordjs/proxy's proxyRequests(rest) handles it (strip /api[/vN], forward the client's own
// Authorization and none when it sent none, auth: false), with two fixes found against the fake Discord:
// - proxyRequests hands the request stream itself to REST as the body, so when REST retries (after a 429 it did
//   not foresee, or a 5xx) the body is gone and Discord gets an empty one ("Cannot send an empty message").
//   The body is read into memory here first, so a retry sends it again. The proxy sets no size cap of its own
//   (Discord refuses what is too big): only the bot's processes should be able to reach it.
// - for an error it does not know (an unreachable upstream) it ends the response as an empty 200; here it is a 502.
// A bot that gave up waiting (it closed the connection) aborts its request, so a request held for a rate limit
// is not sent after the bot already retried it.
async function forward(req, res) {
	const url = new URL(req.url ?? '/', 'http://proxy');
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const body = Buffer.concat(chunks);
	const headers = {};
	for (const name of ['content-type', 'authorization', 'x-audit-log-reason']) {
		if (req.headers[name] !== undefined) headers[name] = req.headers[name];
	}
	const abandoned = new AbortController();
	res.on('close', () => {
		if (!res.writableFinished) abandoned.abort();
	});
	try {
		const answer = await rest.queueRequest({
			fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, ''),
			method: req.method ?? 'GET',
			body: body.length > 0 ? body : undefined,
			passThroughBody: true,
			auth: false,
			query: url.searchParams,
			headers,
			signal: abandoned.signal,
		});
		await populateSuccessfulResponse(res, answer);
	} catch (err) {
		if (!populateErrorResponse(res, err)) {
			res.statusCode = 502;
			if (!abandoned.signal.aborted) log.error({ err, method: req.method, path: url.pathname }, 'upstream request failed');
		}
	} finally {
		res.end();
	}
}

// The proxy forwards the client's own Authorization, so the only check to make here is that an authorized
// request is this bot's: another bot's would be counted against this bot's limits.
const expected = createHash('sha256').update(`Bot ${token}`).digest();
const isThisBot = (authorization) => authorization === undefined || timingSafeEqual(createHash('sha256').update(authorization).digest(), expected);

const server = createServer((req, res) => {
	if (!isThisBot(req.headers.authorization)) {
		res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: '401: Unauthorized', code: 0 }));
		return;
	}
	forward(req, res).catch((err) => {
		log.error({ err, method: req.method }, 'proxying a request failed');
		res.destroy();
	});
});

server.listen(port, host, () => {
	const address = server.address();
	log.info({ host, port: typeof address === 'object' && address ? address.port : port, upstream }, 'discord proxy listening');
});
server.on('error', (err) => {
	log.fatal({ err }, 'discord proxy could not start');
	process.exit(1);
});

// A stop lets the requests under way finish (each one is waited for at most the REST timeout, 15 s) so no
// bot sees its request cut off; the bots retry nothing that has already reached Discord.
let stopping = false;
function stop(signal) {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'discord proxy stopping');
	server.close(() => {
		rest.clearHashSweeper();
		rest.clearHandlerSweeper();
		log.info('discord proxy stopped');
		log.flush();
		process.exitCode = 0;
	});
	server.closeIdleConnections();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
