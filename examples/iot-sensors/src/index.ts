export { generateReadings, type GenerateOptions, type GeneratedReadings, type Reading, type Sensor } from './generate-readings.ts';
export { analystQueries, runIotScenario, type AnalystQuery, type IotScenarioOptions, type IotScenarioReport } from './scenario.ts';
