-- Argo CD health of a SecureWorkloadPolicy (secureworkload.io, cluster-scoped): a guardrail the
-- platform team applies. It has no asynchronous work to wait for, so a policy that is not Ready is
-- a problem to fix, for example reason Conflict: two policies name different permissions
-- boundaries.
--   Healthy      Ready=True for the current generation
--   Progressing  no status yet; generation not yet observed; Reconciling=True
--   Degraded     Ready=False (Conflict, ...), Stalled=True
-- Lua 5.1 common subset: Argo CD runs gopher-lua; the tests run LuaJ.
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c == nil then
    return fallback
  end
  local text = c.reason or ""
  if c.message ~= nil and c.message ~= "" then
    if text ~= "" then
      text = text .. ": "
    end
    text = text .. c.message
  end
  if text == "" then
    return fallback
  end
  return text
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local ready = condition("Ready")
local reconciling = condition("Reconciling")
local stalled = condition("Stalled")

if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, describe(ready, "Stalled"))
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
elseif reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling, "Reconciling")
elseif ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Not ready")
else
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report Ready"
end
return hs
