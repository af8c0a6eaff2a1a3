-- Argo CD health of a SecureWorkload (secureworkload.io), from the operator's status contract:
-- status.observedGeneration, and conditions Ready, Reconciling and Stalled (kstatus: every state
-- that is not Ready has exactly one of Reconciling=True or Stalled=True).
--   Healthy      Ready=True for the current generation
--   Progressing  no status yet; generation not yet observed; Reconciling=True; being deleted
--   Degraded     Stalled=True (a terminal failure: invalid, not owned, guardrail violation);
--                a deletion that is stuck (DeletionBlocked)
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

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    if c.reason ~= nil and c.reason ~= "" then
      return c.reason .. ": " .. c.message
    end
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local ready = condition("Ready")
local reconciling = condition("Reconciling")
local stalled = condition("Stalled")

if obj.metadata.deletionTimestamp ~= nil then
  if isTrue(stalled) or (ready ~= nil and ready.reason == "DeletionBlocked") then
    hs.status = "Degraded"
    hs.message = describe(stalled, describe(ready, "Deletion is blocked"))
  else
    hs.status = "Progressing"
    hs.message = describe(ready, "Deleting")
  end
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled, describe(ready, "Stalled"))
  return hs
end

if isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = describe(reconciling, describe(ready, "Reconciling"))
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

-- Not Ready, and neither Reconciling nor Stalled: an operator older than the kstatus conditions,
-- or one that has not decided yet. Waiting is the safe reading; the message says why.
hs.status = "Progressing"
hs.message = describe(ready, "Waiting for the operator to report Ready")
return hs
