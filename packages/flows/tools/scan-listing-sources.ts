// Re-derives the table of listing sources (src/model/cluster-sources.ts) from a NiFi's own NARs: the annotations of
// every processor class, read with the JDK's javap (NiFi's runtime manifest leaves the standard NAR out). A processor
// that is @TriggerSerially and @Stateful and does not require input is a listing source; @PrimaryNodeOnly ones NiFi
// pins to the primary node. Prints what it found and exits 1 when the table disagrees.
//
// Usage: node --conditions=@dataplat/source packages/flows/tools/scan-listing-sources.ts <NiFi home or its lib folder>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listingSourceTraits } from '../src/model/cluster-sources.ts';

interface ScannedProcessor {
  type: string;
  primaryNodeOnly: boolean;
  triggerSerially: boolean;
  stateful: boolean;
  inputRequirement: string;
}

/** The class-level annotations of each class javap printed (the last RuntimeVisibleAnnotations block of each class). */
function scanClasses(jar: string, classes: string[]): ScannedProcessor[] {
  const output = execFileSync('javap', ['-v', '-cp', jar, ...classes], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  return output
    .split(/^Classfile /m)
    .slice(1)
    .map((listing, index) => {
      const annotations = listing.slice(listing.lastIndexOf('\nRuntimeVisibleAnnotations:'));
      return {
        type: classes[index]!,
        primaryNodeOnly: annotations.includes('org.apache.nifi.annotation.behavior.PrimaryNodeOnly'),
        triggerSerially: annotations.includes('org.apache.nifi.annotation.behavior.TriggerSerially'),
        stateful: annotations.includes('org.apache.nifi.annotation.behavior.Stateful('),
        inputRequirement: /InputRequirement\$Requirement;\.(INPUT_[A-Z]+)/.exec(annotations)?.[1] ?? 'INPUT_ALLOWED',
      };
    });
}

function scanNar(nar: string, scratch: string): ScannedProcessor[] {
  const entries = execFileSync('unzip', ['-Z1', nar], { encoding: 'utf8' }).split('\n');
  const jars = entries.filter((entry) => /^META-INF\/bundled-dependencies\/[^/]+\.jar$/.test(entry));
  const scanned: ScannedProcessor[] = [];
  for (const jarEntry of jars) {
    execFileSync('unzip', ['-o', '-q', nar, jarEntry, '-d', scratch]);
    const jar = join(scratch, jarEntry);
    let services = '';
    try {
      services = execFileSync('unzip', ['-p', jar, 'META-INF/services/org.apache.nifi.processor.Processor'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      continue; // no processors in this jar
    }
    const classes = services.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
    if (classes.length) scanned.push(...scanClasses(jar, classes));
  }
  return scanned;
}

const home = process.argv[2];
if (!home) {
  console.error('Usage: scan-listing-sources.ts <NiFi home or its lib folder>');
  process.exit(2);
}
const lib = existsSync(join(home, 'lib')) ? join(home, 'lib') : home;
const scratch = mkdtempSync(join(tmpdir(), 'scan-listing-sources-'));
const disagreements: string[] = [];
try {
  for (const nar of readdirSync(lib).filter((file) => file.endsWith('.nar'))) {
    for (const processor of scanNar(join(lib, nar), scratch)) {
      const listing = processor.triggerSerially && processor.stateful && processor.inputRequirement !== 'INPUT_REQUIRED';
      const inTable = listingSourceTraits(processor.type);
      if (listing || processor.primaryNodeOnly) console.log(`${nar}: ${processor.type} primaryNodeOnly=${processor.primaryNodeOnly} ${processor.inputRequirement}${listing ? ' (listing source)' : ''}`);
      if (listing && !inTable) disagreements.push(`${processor.type} is a listing source the table lacks`);
      if (inTable && inTable.primaryNodeOnly !== processor.primaryNodeOnly) disagreements.push(`${processor.type}: the table says primaryNodeOnly ${inTable.primaryNodeOnly}, the class ${processor.primaryNodeOnly}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
for (const disagreement of disagreements) console.error(`disagrees: ${disagreement}`);
console.log(disagreements.length ? `${disagreements.length} disagreement(s) with src/model/cluster-sources.ts` : 'src/model/cluster-sources.ts agrees with these NARs');
process.exit(disagreements.length ? 1 : 0);
