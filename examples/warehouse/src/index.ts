export { checkoutFlowsCommand } from './flows-command.ts';
export { generateShop, revenueCents, type ShopData, type ShopOptions } from './generate-shop.ts';
export { dashboardQueries, runWarehouseScenario, type DashboardQuery, type WarehouseScenarioOptions, type WarehouseScenarioReport } from './scenario.ts';
