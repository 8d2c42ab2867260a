import type { PoolClient, QueryResult, QueryResultRow } from 'pg';

/** What a query needs: a pool (any free connection) or one client inside a transaction. */
export interface Queryable {
	query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** What the stores need from a pool: queries, and a connection of their own for a transaction. */
export interface Connectable extends Queryable {
	connect(): Promise<PoolClient>;
}

/**
 * A pool whose queries wait until the schema is up to date. The bot is built synchronously (a
 * second process on an SQLite file must fail at once), so PostgreSQL's migrations run in the
 * background from there; the bot awaits `ready` before it logs in, and nothing queries before.
 */
export class MigratedPool implements Connectable {
	public constructor(
		private readonly pool: Connectable,
		private readonly ready: Promise<unknown>,
	) {}

	public async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
		await this.ready;
		return this.pool.query<R>(text, values);
	}

	public async connect(): Promise<PoolClient> {
		await this.ready;
		return this.pool.connect();
	}
}
