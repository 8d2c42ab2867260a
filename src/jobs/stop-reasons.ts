/**
 * Why the engine aborted a job's signal. Each ends the job its own way: cancelled by the member,
 * given up after the timeout or a long fal outage, or paused (state kept) because the bot stops.
 */
export class JobCancelled extends Error {}
export class JobTimedOut extends Error {}
export class FalOutage extends Error {}
export class ShuttingDown extends Error {}
