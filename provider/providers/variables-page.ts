import { dashboardLink, type DashboardLink, type DashboardTarget } from "../runtime/dashboard-links";

/** Variables have no page of their own: the dashboard's environment-variables page lists them. */
export const variablesPage = (target: DashboardTarget): Promise<DashboardLink> => dashboardLink(target, { kind: "environment-variables" });
