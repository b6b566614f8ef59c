import * as vm from 'vm';

import { formatTopTimestamp } from '../../nodes/Damai/transport/timestamp';
import { buildTopRequest } from '../../nodes/Damai/transport/request';
import { formatGmt8, parseGmt8 } from '../../tooling/sandbox/sign';

describe('formatTopTimestamp: GMT+8 from the epoch', () => {
	it.each([
		[Date.UTC(2016, 0, 1, 4, 0, 0), '2016-01-01 12:00:00'],
		[Date.UTC(2013, 4, 6, 5, 52, 3), '2013-05-06 13:52:03'],
		// crossing midnight and the year in GMT+8
		[Date.UTC(2023, 11, 31, 16, 0, 0), '2024-01-01 00:00:00'],
		[Date.UTC(2023, 11, 31, 15, 59, 59), '2023-12-31 23:59:59'],
		// leap day, single-digit fields padded
		[Date.UTC(2024, 1, 28, 20, 3, 5), '2024-02-29 04:03:05'],
		// a US DST switch day (must not matter)
		[Date.UTC(2024, 2, 10, 7, 30, 0), '2024-03-10 15:30:00'],
	])('%d → %s', (ms, expected) => {
		expect(formatTopTimestamp(new Date(ms))).toBe(expected);
		expect(formatTopTimestamp(new Date(ms))).toBe(formatGmt8(new Date(ms)));
	});

	it('drops milliseconds rather than rounding', () => {
		expect(formatTopTimestamp(new Date(Date.UTC(2016, 0, 1, 4, 0, 0, 999)))).toBe('2016-01-01 12:00:00');
	});

	it('defaults to now (read back as GMT+8 it is close to Date.now())', () => {
		const parsed = parseGmt8(formatTopTimestamp());
		expect(parsed).not.toBeNull();
		expect(Math.abs((parsed as number) - Date.now())).toBeLessThan(5000);
	});
});

/**
 * jest gives each test file a copy of `process.env`; assigning TZ there does not reach Node, so the
 * zone is switched on the real process (the outer context's `process`), which Node watches for TZ.
 */
const realEnv = (vm.runInThisContext('process') as NodeJS.Process).env;

describe('formatTopTimestamp does not depend on the host time zone', () => {
	const original = realEnv.TZ;
	const setZone = (zone: string) => {
		realEnv.TZ = zone;
		process.env.TZ = zone;
	};
	afterAll(() => {
		if (original === undefined) delete realEnv.TZ;
		else realEnv.TZ = original;
		if (original === undefined) delete process.env.TZ;
		else process.env.TZ = original;
	});

	const instants = [
		Date.UTC(2024, 0, 15, 3, 4, 5), // winter
		Date.UTC(2024, 6, 15, 20, 59, 59), // summer, next day in GMT+8
		Date.UTC(2024, 10, 3, 6, 30, 0), // a New York DST change day
	];

	it('gives the same text under UTC, Asia/Shanghai and America/New_York (switched at runtime)', () => {
		const zones = ['UTC', 'Asia/Shanghai', 'America/New_York'];
		const offsets: number[] = [];
		const texts: string[][] = [];
		const queries: string[] = [];
		for (const zone of zones) {
			setZone(zone);
			offsets.push(new Date(instants[0]).getTimezoneOffset());
			texts.push(instants.map((ms) => formatTopTimestamp(new Date(ms))));
			const req = buildTopRequest('m.x', {}, { appKey: 'k', appSecret: 's', signMethod: 'md5' }, 'json', new Date(instants[0]));
			queries.push(new URLSearchParams(req.query).get('timestamp') as string);
		}
		// the switch really took effect: three different local offsets
		expect(new Set(offsets).size).toBe(3);
		expect(offsets).toEqual([0, -480, 300]);
		// and the TOP timestamp did not move
		expect(texts[0]).toEqual(['2024-01-15 11:04:05', '2024-07-16 04:59:59', '2024-11-03 14:30:00']);
		expect(texts[1]).toEqual(texts[0]);
		expect(texts[2]).toEqual(texts[0]);
		expect(new Set(queries)).toEqual(new Set(['2024-01-15 11:04:05']));
	});
});
