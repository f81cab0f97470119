// Seeded air-quality readings: the same seed and sizes give the same sensors, readings, invalid ones
// and batches, so the scenario can say exactly what NiFi, PostgreSQL and Trino must end up with.
import { seededRandom } from '@dataplat-examples/shared';

export interface Sensor {
  sensor_id: string;
  location: string;
  zone_type: ZoneType;
  latitude: number;
  longitude: number;
}

export type ZoneType = 'traffic' | 'industrial' | 'residential' | 'school' | 'park';

/** A reading as a sensor posts it (`measured_at` in epoch milliseconds). */
export interface Reading extends Sensor {
  measured_at: number;
  pm25: number;
  temperature: number;
  humidity: number;
  co2: number;
}

export interface GenerateOptions {
  seed?: number | undefined;
  sensors?: number | undefined;
  /** Readings per sensor, spread evenly over the 24 hours before `now`. */
  readingsPerSensor?: number | undefined;
  /** Share of readings a faulty firmware garbles (they must end in quarantine). Default 0.04. */
  invalidShare?: number | undefined;
  /** Readings per HTTP post. Default 100. */
  batchSize?: number | undefined;
  /** End of the 24-hour window, epoch ms. Default now, rounded down to the minute. */
  now?: number | undefined;
  /** Part of every batch id, so runs are told apart in Airflow's asset events. Default: base-36 time. */
  runTag?: string | undefined;
}

export interface GeneratedReadings {
  sensors: Sensor[];
  /** What is posted: each batch has an id (the `batch` header) and its readings, some invalid. */
  batches: Array<{ batch: string; readings: unknown[] }>;
  valid: Reading[];
  invalid: unknown[];
  window: { from: number; to: number };
}

const locations = [
  { name: 'Antwerp', latitude: 51.2194, longitude: 4.4025 },
  { name: 'Lyon', latitude: 45.764, longitude: 4.8357 },
  { name: 'Porto', latitude: 41.1579, longitude: -8.6291 },
  { name: 'Kraków', latitude: 50.0647, longitude: 19.945 },
];
const zoneTypes: ZoneType[] = ['traffic', 'industrial', 'residential', 'school', 'park'];
/** Typical PM2.5 level per zone (µg/m³): traffic and industry sit near or above the WHO guideline. */
const zoneBaseline: Record<ZoneType, number> = { traffic: 31, industrial: 27, residential: 14, school: 11, park: 7 };

export function generateReadings(options: GenerateOptions = {}): GeneratedReadings {
  const random = seededRandom(options.seed ?? 42);
  const sensorCount = options.sensors ?? 24;
  const perSensor = options.readingsPerSensor ?? 96;
  const invalidShare = options.invalidShare ?? 0.04;
  const batchSize = options.batchSize ?? 100;
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const from = now - 24 * 3_600_000;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

  const sensors: Sensor[] = Array.from({ length: sensorCount }, (_, index) => {
    // 4 locations × 5 zone types: every combination within the first 20 sensors.
    const location = locations[index % locations.length]!;
    return {
      sensor_id: `aq-${String(index + 1).padStart(3, '0')}`,
      location: location.name,
      zone_type: zoneTypes[index % zoneTypes.length]!,
      latitude: round(location.latitude + (random() - 0.5) * 0.1, 5),
      longitude: round(location.longitude + (random() - 0.5) * 0.1, 5),
    };
  });

  const valid: Reading[] = [];
  const invalid: unknown[] = [];
  const posted: unknown[] = [];
  const step = (24 * 3_600_000) / perSensor;
  for (let slot = 0; slot < perSensor; slot++) {
    for (const sensor of sensors) {
      const measuredAt = Math.floor(from + (slot + 0.5) * step);
      const hour = new Date(measuredAt).getUTCHours();
      // Rush hours raise traffic pollution; a random spike now and then.
      const rush = sensor.zone_type === 'traffic' && (hour === 8 || hour === 17) ? 18 : 0;
      const spike = random() < 0.03 ? 25 + random() * 40 : 0;
      const reading: Reading = {
        ...sensor,
        measured_at: measuredAt,
        pm25: round(Math.max(1, zoneBaseline[sensor.zone_type] + rush + spike + (random() - 0.5) * 12), 1),
        temperature: round(12 + 8 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + (random() - 0.5) * 2, 1),
        humidity: round(55 + (random() - 0.5) * 30, 1),
        co2: round(420 + (sensor.zone_type === 'traffic' ? 60 : 0) + random() * 80, 0),
      };
      if (random() < invalidShare) {
        const garbled = garble(reading, random);
        invalid.push(garbled);
        posted.push(garbled);
      } else {
        valid.push(reading);
        posted.push(reading);
      }
    }
  }
  const batches = [];
  const runTag = options.runTag ?? Date.now().toString(36);
  for (let start = 0; start < posted.length; start += batchSize) {
    batches.push({ batch: `seed${options.seed ?? 42}-${runTag}-${String(start / batchSize + 1).padStart(4, '0')}`, readings: posted.slice(start, start + batchSize) });
  }
  return { sensors, batches, valid, invalid, window: { from, to: now } };
}

/** What faulty firmware sends: a text where a number belongs, or a missing field. */
function garble(reading: Reading, random: () => number): unknown {
  const kind = Math.floor(random() * 3);
  if (kind === 0) return { ...reading, pm25: 'n/a' };
  if (kind === 1) return { ...reading, temperature: `${reading.temperature}C` };
  const { sensor_id: _missing, ...withoutId } = reading;
  return withoutId;
}
