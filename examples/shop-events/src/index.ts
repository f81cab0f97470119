export { dailyKpis, generateEvents, type DayKpis, type EventOptions, type ShopEvent } from './generate-events.ts';
export { runShopEventsScenario, type ShopEventsOptions } from './scenario.ts';
