// Resource Graph query that counts the machines the findings query looked at, so a graph scan's summary
// matches an ARM scan's. Kept as data; the emulator recognises it by its text.
export const INVENTORY_QUERY = `resources
| where type in~ ('microsoft.compute/virtualmachines', 'microsoft.compute/virtualmachinescalesets')
| summarize machines = count() by type = tolower(type), subscriptionId, resourceGroup = tolower(resourceGroup)
| order by subscriptionId asc, resourceGroup asc, type asc
`;
