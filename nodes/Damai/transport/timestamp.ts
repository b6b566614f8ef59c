/**
 * The gateway's `timestamp`: `yyyy-MM-dd HH:mm:ss` in GMT+8 (Asia/Shanghai has had no DST since
 * 1991), whatever the host's time zone. Computed from the epoch, never from local time.
 */
const GMT8_OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function formatTopTimestamp(date: Date = new Date()): string {
	const d = new Date(date.getTime() + GMT8_OFFSET_MS);
	return (
		`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
	);
}
