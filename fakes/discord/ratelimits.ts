/**
 * Discord's rate limits (https://discord.com/developers/docs/topics/rate-limits):
 *
 * - a global limit per bot token (50 requests per second); interaction endpoints (callback, @original,
 *   follow-ups) are "not bound to the bot's Global Rate Limit". Exceeding it answers
 *   `429 { message, retry_after, global: true }` with `Retry-After`, `X-RateLimit-Global: true`, `X-RateLimit-Scope: global`.
 * - per-route buckets keyed by route and top-level resource (channel, guild, webhook id + token), announced on
 *   every response with `X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket`; a client that ignores them gets
 *   `429 { global: false }` with `X-RateLimit-Scope: user`.
 * - the `rateLimit()` knob: the next N requests of a route answer 429 (user, shared or global scope).
 */
import { createHash } from 'node:crypto';
import type { RateLimitRule, Route } from './types.js';

export interface RouteLimit {
	/** Requests per window. */
	limit: number;
	windowMs: number;
	/** Routes with the same bucket name share one bucket (and X-RateLimit-Bucket). Default: the route itself. */
	bucket?: string;
}

export interface RateLimitOptions {
	bucketLimit: number;
	bucketWindowMs: number;
	/** Requests per global window per bot token; 0 turns the global limit off. */
	globalLimit: number;
	globalWindowMs: number;
	routeLimits: Record<string, RouteLimit>;
}

export interface RateLimitReply {
	status: 429;
	body: Record<string, unknown>;
	headers: Record<string, string>;
}

type KnobRule = Required<Omit<RateLimitRule, 'scope'>> & { scope: string };

export class RateLimiter {
	private readonly rules: { match: string | RegExp; rule: KnobRule; left: number }[] = [];
	private readonly buckets = new Map<string, { remaining: number; resetAt: number }>();
	private readonly globalWindows = new Map<string, { count: number; resetAt: number }>();

	constructor(readonly options: RateLimitOptions) {}

	addKnob(route: string | RegExp, rule: RateLimitRule): void {
		const global = rule.global ?? false;
		this.rules.push({
			match: route,
			rule: { retryAfterSeconds: rule.retryAfterSeconds ?? 1, times: rule.times ?? 1, global, scope: rule.scope ?? (global ? 'global' : 'user') },
			left: rule.times ?? 1,
		});
	}

	setRouteLimit(route: string, limit: RouteLimit | undefined): void {
		if (limit) this.options.routeLimits[route] = limit;
		else delete this.options.routeLimits[route];
	}

	/**
	 * Decides one request: a 429 reply, or the bucket headers to send with the normal answer.
	 * `token` is the bot token for authenticated routes, undefined for interaction endpoints (exempt from global).
	 */
	check(
		route: Route,
		method: string,
		path: string,
		params: Record<string, string>,
		token: string | undefined,
	): { limited: RateLimitReply } | { headers: Record<string, string> } {
		const knob = this.knob(route, method, path);
		if (knob) {
			const retry = knob.retryAfterSeconds;
			const headers: Record<string, string> = knob.global
				? { 'retry-after': String(retry), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
				: {
						...this.bucket(route, params, false).headers,
						'retry-after': String(retry),
						'x-ratelimit-remaining': '0',
						'x-ratelimit-reset': ((Date.now() + retry * 1000) / 1000).toFixed(3),
						'x-ratelimit-reset-after': retry.toFixed(3),
						'x-ratelimit-scope': knob.scope,
					};
			const message = knob.scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.';
			return {
				limited: {
					status: 429,
					body: { message, retry_after: retry, global: knob.global, ...(knob.scope === 'shared' ? { code: 0 } : {}) },
					headers,
				},
			};
		}
		if (token !== undefined && this.options.globalLimit > 0) {
			const now = Date.now();
			let window = this.globalWindows.get(token);
			if (!window || window.resetAt <= now) {
				window = { count: 0, resetAt: now + this.options.globalWindowMs };
				this.globalWindows.set(token, window);
			}
			if (window.count >= this.options.globalLimit) {
				const retry = Math.max(0.001, (window.resetAt - now) / 1000);
				return {
					limited: {
						status: 429,
						body: { message: 'You are being rate limited.', retry_after: Number(retry.toFixed(3)), global: true },
						headers: { 'retry-after': String(Math.ceil(retry)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
					},
				};
			}
			window.count += 1;
		}
		const bucket = this.bucket(route, params, true);
		if (bucket.exhausted) {
			const retry = Math.max(0.001, bucket.resetAfter);
			return {
				limited: {
					status: 429,
					body: { message: 'You are being rate limited.', retry_after: Number(retry.toFixed(3)), global: false },
					headers: { ...bucket.headers, 'retry-after': String(Math.ceil(retry)), 'x-ratelimit-scope': 'user' },
				},
			};
		}
		return { headers: bucket.headers };
	}

	private limitFor(route: Route): { limit: number; windowMs: number; bucket: string } {
		const custom = this.options.routeLimits[route.name];
		return {
			limit: custom?.limit ?? this.options.bucketLimit,
			windowMs: custom?.windowMs ?? this.options.bucketWindowMs,
			bucket: custom?.bucket ?? route.name,
		};
	}

	/** Bucket accounting: real X-RateLimit-* headers, and exhaustion when a client ignores them. */
	private bucket(
		route: Route,
		params: Record<string, string>,
		take: boolean,
	): { headers: Record<string, string>; exhausted: boolean; resetAfter: number } {
		const { limit, windowMs, bucket: name } = this.limitFor(route);
		const major = params.channel ?? params.guild ?? (params.token ? `${params.app ?? params.id}:${params.token}` : params.app) ?? '';
		const key = `${name}|${major}`;
		const now = Date.now();
		let bucket = this.buckets.get(key);
		if (!bucket || bucket.resetAt <= now) {
			bucket = { remaining: limit, resetAt: now + windowMs };
			this.buckets.set(key, bucket);
		}
		const exhausted = bucket.remaining <= 0;
		if (!exhausted && take) bucket.remaining -= 1;
		const resetAfter = (bucket.resetAt - now) / 1000;
		return {
			exhausted,
			resetAfter,
			headers: {
				'x-ratelimit-limit': String(limit),
				'x-ratelimit-remaining': String(bucket.remaining),
				'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
				'x-ratelimit-reset-after': resetAfter.toFixed(3),
				'x-ratelimit-bucket': createHash('sha1').update(name).digest('hex').slice(0, 32),
			},
		};
	}

	private knob(route: Route, method: string, path: string): KnobRule | undefined {
		for (const entry of this.rules) {
			if (entry.left <= 0) continue;
			const matches =
				typeof entry.match === 'string' ? entry.match === route.name : entry.match.test(route.name) || entry.match.test(`${method} ${path}`);
			if (!matches) continue;
			entry.left -= 1;
			return entry.rule;
		}
		return undefined;
	}
}
